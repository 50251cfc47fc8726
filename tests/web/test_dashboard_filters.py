"""The dashboard's filters in a real browser: choosing a team, a channel or an industry
changes the numbers to the API's for that filter, the choice stays in the URL hash, and
clicking a number opens the ledger with the same filter. A team lead has no team to choose."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.web.conftest import Console, shot
from tests.web.test_console import PERIOD, api_token, log_in

RANGE = {"since": "2026-10-01T00:00:00+08:00", "until": "2026-12-31T00:00:00+08:00"}


def shown(page: Any) -> dict[str, int]:
    """The KPI cards: findings in total and per severity."""
    return {
        kpi: int(page.locator(f"[data-kpi='{kpi}'] .n").inner_text())
        for kpi in ("total", "high", "medium", "low")
    }


def expected(console: Console, role: str, **filters: str) -> dict[str, int]:
    with api_token(console, role) as api:
        params = {**RANGE, "tz": "+08:00", **filters}
        answer = api.get("/api/v1/metrics/dashboard", params=params).raise_for_status().json()
    severity = {g["key"]: g["count"] for g in answer["groups"]["severity"]}
    return {"total": answer["total"], **{s: severity.get(s, 0) for s in ("high", "medium", "low")}}


def hash_params(page: Any) -> dict[str, str]:
    fragment = urlsplit(page.url).fragment
    return {k: v[0] for k, v in parse_qs(fragment.partition("?")[2]).items()}


def apply(page: Any, **choices: str) -> None:
    before = page.locator(".kpis").element_handle()
    for name, value in choices.items():
        page.locator(f"#d-{name}").select_option(value)
    page.get_by_role("button", name="查询").click()
    page.wait_for_function("(old) => !old.isConnected", arg=before)
    page.wait_for_selector("main[data-page='dashboard'] .kpis")


def test_a_team_and_a_channel_change_the_numbers_and_carry_to_the_ledger(
    page: Any, console: Console
) -> None:
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .kpis")
    everyone = shown(page)
    assert everyone == expected(console, "compliance_manager")
    teams = page.locator("#d-team option").all_inner_texts()
    assert "east-1" in teams and teams[0] == "全部"
    for name, word in {"team": "团队", "channel": "渠道", "industry": "行业"}.items():
        labelled = page.get_by_label(re.compile(f"^{word}")).and_(page.locator("select"))
        assert labelled.get_attribute("id") == f"d-{name}"  # each select has its label

    apply(page, team="east-1")
    east = shown(page)
    assert east == expected(console, "compliance_manager", team="east-1")
    assert 0 < east["total"] < everyone["total"]
    assert hash_params(page)["team"] == "east-1"
    shot(page, "dashboard-filter-team")

    apply(page, channel="phone")
    phone = shown(page)
    assert phone == expected(console, "compliance_manager", team="east-1", channel="phone")
    assert {"team": "east-1", "channel": "phone"}.items() <= hash_params(page).items()

    page.reload()  # the filters live in the hash: a reload keeps them
    page.wait_for_selector("main[data-page='dashboard'] .kpis")
    assert page.locator("#d-team").input_value() == "east-1"
    assert page.locator("#d-channel").input_value() == "phone"
    assert shown(page) == phone

    page.locator("[data-kpi='total']").click()
    page.wait_for_selector("main[data-page='ledger'] table")
    carried = hash_params(page)
    assert {"team": "east-1", "channel": "phone"}.items() <= carried.items()
    assert page.locator("#f-team").input_value() == "east-1"
    assert page.locator("#f-channel").input_value() == "phone"
    assert int(page.locator("[data-total]").get_attribute("data-total")) == phone["total"]
    teams_listed = set(page.locator("tbody tr td:nth-child(7)").all_inner_texts())
    channels_listed = set(page.locator("tbody tr td:nth-child(8)").all_inner_texts())
    assert teams_listed == {"east-1"} and channels_listed == {"phone"}
    shot(page, "ledger-from-dashboard-filter")


def test_an_industry_filter_matches_the_api(page: Any, console: Console) -> None:
    log_in(page, console, "admin")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .kpis")
    industries = page.locator("#d-industry option").evaluate_all("os => os.map(o => o.value)")
    assert {"banking", "securities"} <= set(industries)
    apply(page, industry="banking")
    assert shown(page) == expected(console, "admin", industry="banking")
    page.locator("[data-kpi='total']").click()
    page.wait_for_selector("main[data-page='ledger'] table")
    assert hash_params(page)["industry"] == "banking"
    assert page.locator("#f-industry").input_value() == "banking"
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total == expected(console, "admin", industry="banking")["total"]


def test_a_team_lead_chooses_a_channel_but_no_team(page: Any, console: Console) -> None:
    log_in(page, console, "team_lead")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .kpis")
    assert page.locator("#d-team").count() == 0
    assert shown(page) == expected(console, "team_lead")
    channels = page.locator("#d-channel option").evaluate_all("os => os.map(o => o.value)")
    assert set(channels) - {""} <= {"phone", "chat", "wecom"}
    apply(page, channel=channels[1])
    assert shown(page) == expected(console, "team_lead", channel=channels[1])
    shot(page, "dashboard-filter-team-lead")
