"""The console in a real browser: each role logs in and sees only what it may; numbers click
through to the cases behind them; a case is reviewed, appealed and ruled on; the audit chain
verifies; the language switches. Screenshots of every page are kept (see conftest)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.web.conftest import Console, shot

ROLES = ("admin", "compliance_manager", "reviewer", "team_lead", "agent")
PERIOD = "since=2026-10-01&until=2026-12-31"


def log_in(page: Any, console: Console, role: str) -> None:
    username, password = console.credentials(role)
    page.goto(f"{console.url}/console/#/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("main[data-page='dashboard']")


@contextmanager
def api_token(console: Console, role: str) -> Iterator[httpx.Client]:
    """The same user through the API, to compare what the console shows with it."""
    with httpx.Client(base_url=console.url, timeout=30) as client:
        username, password = console.credentials(role)
        form = {"username": username, "password": password}
        token = client.post("/api/v1/auth/token", data=form).raise_for_status().json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_its_pages(page: Any, console: Console, role: str) -> None:
    log_in(page, console, role)
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .kpis")
    nav = page.locator("#nav a").all_inner_texts()
    assert ("审计" in nav) == (role in ("admin", "compliance_manager"))
    assert ("我的案件" in nav) == (role == "agent")
    shot(page, f"dashboard-{role}")
    page.goto(f"{console.url}/console/#/ledger?{PERIOD}")
    page.wait_for_selector("main[data-page='ledger'] table")
    shot(page, f"ledger-{role}")
    shown = int(page.locator("[data-total]").get_attribute("data-total"))
    with api_token(console, role) as api:
        expected = api.get("/api/v1/cases", params={"limit": 1}).json()["total"]
    assert shown == expected  # the API's scoping, nothing more
    if role == "agent":
        agents = page.locator("tbody tr td:nth-child(6)").all_inner_texts()
        assert agents and set(agents) == {"A-17"}


def test_dashboard_numbers_click_through_to_their_cases(page: Any, console: Console) -> None:
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector(".kpis")
    high = int(page.locator("[data-kpi='high'] .n").inner_text())
    assert high > 0
    page.wait_for_selector(".chart svg")
    charts = page.locator(".chart svg").count()
    assert charts >= 5, "ECharts draws the dashboard's charts (scripts/vendor.sh vendors it)"
    page.locator("[data-kpi='high']").click()
    page.wait_for_selector("main[data-page='ledger'] table")
    assert int(page.locator("[data-total]").get_attribute("data-total")) == high
    severities = set(page.locator("tbody tr td:nth-child(4)").all_inner_texts())
    assert severities == {"高"}


def test_a_case_is_reviewed_appealed_and_ruled_on(page: Any, console: Console) -> None:
    with api_token(console, "agent") as agent_api:
        cases = agent_api.get("/api/v1/cases", params={"status": "new"}).json()["items"]
    case = next(c for c in cases if c["finding"]["utterance_index"] is not None)
    log_in(page, console, "reviewer")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("main[data-page='case']")
    assert page.locator(".transcript li.evidence").count() >= 1
    # Speakers in words, the role kept as data: 坐席 for agent, 客户 for customer.
    speakers = page.locator(".transcript .role").evaluate_all(
        "(spans) => spans.map((s) => [s.dataset.role, s.textContent])"
    )
    words = {"agent": "坐席", "customer": "客户", "bot": "机器人", "system": "系统"}
    assert speakers and all(text == words[role] for role, text in speakers)
    shot(page, "case-reviewer")
    page.get_by_label(re.compile("评论")).fill("证据明确")
    page.get_by_role("button", name="确认违规").click()
    page.wait_for_selector("[data-status='confirmed']")

    page.locator("#logout").click()
    log_in(page, console, "agent")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("[data-status='confirmed']")
    page.get_by_label(re.compile("理由")).fill("客户误解了我的意思")
    page.get_by_role("button", name="申诉").click()
    page.wait_for_selector("[data-status='appealed']")
    shot(page, "case-agent-appealed")

    page.locator("#logout").click()
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("[data-status='appealed']")
    page.get_by_label(re.compile("评论")).fill("录音复听 客户确有误解")
    page.get_by_role("button", name="撤销").click()
    page.wait_for_selector("#notice:not([hidden])")
    assert page.locator("#notice").inner_text() == "已完成"
    page.wait_for_selector("[data-status='overturned']")
    history = page.locator("section.card ul").first.inner_text()
    assert "confirmed" in history or "已确认" in history


def test_the_audit_chain_verifies_in_the_browser(page: Any, console: Console) -> None:
    log_in(page, console, "admin")
    page.goto(f"{console.url}/console/#/audit")
    page.get_by_role("button", name="校验哈希链").click()
    page.wait_for_selector("#verify-result:has-text('哈希链完整')")
    shot(page, "audit-admin")


def test_the_language_switches_to_english_and_back(page: Any, console: Console) -> None:
    log_in(page, console, "reviewer")
    page.locator("#lang").click()
    page.wait_for_selector("#nav a:has-text('Ledger')")
    assert page.evaluate("document.documentElement.lang") == "en"
    shot(page, "dashboard-en")
    page.locator("#lang").click()
    page.wait_for_selector("#nav a:has-text('质检台账')")


def test_a_wrong_password_says_so_without_leaving_the_page(page: Any, console: Console) -> None:
    page.goto(f"{console.url}/console/#/login")
    page.get_by_label("用户名").fill("cm")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#notice:not([hidden])")
    assert page.locator("#username").is_visible()
