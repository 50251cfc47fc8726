"""The 报告 reports page: a compliance manager downloads the HTML and PDF report of the
samples' month, a team lead gets its own team's, a reviewer has no such page."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import SHOTS, Console, shot
from tests.web.test_console import log_in

PERIOD = "2026-11"  # examples/calls.jsonl took place in November 2026


def open_reports(page: Any, console: Console) -> None:
    page.goto(f"{console.url}/console/#/reports?period={PERIOD}")
    page.wait_for_selector("main[data-page='reports'] #report-html")


def test_a_compliance_manager_downloads_reports(page: Any, console: Console) -> None:
    log_in(page, console, "compliance_manager")
    assert "报告" in page.locator("#nav a").all_inner_texts()
    open_reports(page, console)
    shot(page, "reports-compliance_manager")
    with page.expect_download() as info:
        page.locator("#report-html").click()
    html = info.value
    assert html.suggested_filename == f"hegui-report-{PERIOD}.html"
    SHOTS.mkdir(parents=True, exist_ok=True)
    saved = SHOTS / "report.html"
    html.save_as(str(saved))
    text = saved.read_text("utf-8")
    assert "合规质检报告" in text and "<svg" in text
    with page.expect_download() as info:
        page.locator("#report-pdf").click()
    pdf = info.value
    assert pdf.suggested_filename == f"hegui-report-{PERIOD}.pdf"
    pdf_path = SHOTS / "report.pdf"
    pdf.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert "已下载" in page.locator("#report-status").inner_text()
    # How the report itself looks in the browser.
    page.goto(saved.as_uri())
    page.wait_for_selector("svg")
    shot(page, "report-html")


def test_a_bad_period_is_reported(page: Any, console: Console) -> None:
    log_in(page, console, "admin")
    open_reports(page, console)
    page.locator("#report-period").fill("2026-13")
    page.locator("#report-html").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "无法识别的报告期" in alert.inner_text()


def test_a_team_lead_reports_on_its_team_and_a_reviewer_has_no_page(
    page: Any, console: Console
) -> None:
    log_in(page, console, "team_lead")
    open_reports(page, console)
    assert page.locator("#report-team").input_value() == "east-1"
    assert page.locator("#report-team").is_disabled()
    assert page.locator("#report-regulator").count() == 0
    with page.expect_download() as info:
        page.locator("#report-html").click()
    assert info.value.suggested_filename == f"hegui-report-{PERIOD}-east-1.html"
    log_in(page, console, "reviewer")
    assert "报告" not in page.locator("#nav a").all_inner_texts()
