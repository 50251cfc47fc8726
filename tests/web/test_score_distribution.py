"""The dashboard's score distribution in a real browser: the API's bands (every band shown,
empty ones at 0), and a band's link opens the ledger of the cases of its conversations with
the band named above the list and a link that clears it."""

from __future__ import annotations

import json
from typing import Any

from tests.web.conftest import Console, shot
from tests.web.test_console import PERIOD, api_token, log_in
from tests.web.test_dashboard_filters import RANGE, hash_params

BANDS = ["0-59", "60-69", "70-79", "80-89", "90-100"]


def test_a_score_band_opens_the_cases_of_its_conversations(page: Any, console: Console) -> None:
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("[data-chart='band'][data-values]")  # drawn when it arrives
    chart = page.locator("[data-chart='band']")
    shown = json.loads(chart.get_attribute("data-values"))
    with api_token(console, "compliance_manager") as api:
        groups = (
            api.get("/api/v1/metrics/scores", params={**RANGE, "group_by": "band"})
            .raise_for_status()
            .json()["groups"]
        )
        low = api.get(
            "/api/v1/cases", params={**RANGE, "score_min": 0, "score_below": 60, "limit": 1}
        ).json()["total"]
    api_counts = {g["key"]: g["conversations"] for g in groups}
    assert list(shown) == BANDS
    assert shown == {band: api_counts.get(band, 0) for band in BANDS}
    assert shown["0-59"] > 0 and low > 0  # the seeded calls promising 保本 score 0

    # By keyboard: the chart's 数据表 opens, its first link is the lowest band.
    details = page.locator("details[data-for='band']")
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    link = details.locator("a[data-key='0-59']")
    link.focus()
    shot(page, "dashboard-score-distribution")
    page.keyboard.press("Enter")
    page.wait_for_selector("main[data-page='ledger'] [data-total]")
    params = hash_params(page)
    assert params["score_min"] == "0" and params["score_below"] == "60"
    assert int(page.locator("[data-total]").get_attribute("data-total")) == low
    chip = page.locator("[data-score-band]")
    assert chip.get_attribute("data-score-band") == "0–<60"
    shot(page, "ledger-score-band")

    # The ledger's own filters keep the band; its ✕ drops it.
    page.locator("#f-severity").select_option("high")
    page.locator("form.filters button[type='submit']").click()
    page.wait_for_function("location.hash.includes('severity=high')")
    kept = hash_params(page)
    assert kept["score_min"] == "0" and kept["severity"] == "high"
    page.wait_for_selector("[data-score-band]")
    page.get_by_label("清除评分筛选").click()
    page.wait_for_function("!location.hash.includes('score_min')")
    page.wait_for_selector("main[data-page='ledger'] [data-total]")
    assert page.locator("[data-score-band]").count() == 0
