"""The 规则 page in a real browser: a compliance manager edits a published rule (adds a
keyword), validates it, runs its examples, tries pasted text that now fires, and publishes;
a reviewer sees the rule read-only and can still try it. Screenshots are kept (conftest)."""

from __future__ import annotations

from typing import Any

from tests.services.ingest_support import PACK_V1
from tests.web.conftest import Console, shot
from tests.web.test_console import api_token, log_in

RULE = "acme.promise.lottery"


def publish_v1(console: Console) -> None:
    """The pack `acme`, unless an earlier test of this module published it already."""
    with api_token(console, "compliance_manager") as api:
        if any(p["name"] == "acme" for p in api.get("/api/v1/rule-packs").json()["items"]):
            return
        response = api.post("/api/v1/rule-packs", json={"text": PACK_V1})
        assert response.status_code in (200, 201), response.text


def test_edit_validate_try_and_publish_a_rule(page: Any, console: Console) -> None:
    publish_v1(console)
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/rules")
    page.wait_for_selector("main[data-page='rules'] [data-total]")
    assert "规则" in page.locator("#nav a").all_inner_texts()
    assert page.get_by_role("link", name=RULE).count() == 0  # first page: shipped packs
    page.goto(f"{console.url}/console/#/rules?pack=acme")
    page.wait_for_selector(f"main[data-page='rules'] a:text('{RULE}')")
    shot(page, "rules-list")
    page.get_by_role("link", name=RULE).click()
    editor = page.get_by_label("规则包 YAML（整包发布）")
    editor.wait_for()
    text = editor.input_value()
    assert "keywords: [包您中奖]" in text

    # a mistake first: validation names the line and the field
    editor.fill(text.replace("severity: medium", "severity: huge"))
    page.get_by_role("button", name="校验").click()
    page.wait_for_selector("[data-valid='false']")
    problems = page.locator(".problems").inner_text()
    assert "行 7" in problems and "rules[0].severity" in problems

    edited = text.replace("keywords: [包您中奖]", "keywords: [包您中奖, 保您中奖]").replace(
        "version: 1", "version: 2"
    )
    editor.fill(edited)
    page.get_by_role("button", name="校验").click()
    page.wait_for_selector("[data-valid='true']")
    page.get_by_role("button", name="运行样例").click()
    page.wait_for_selector("[data-examples='6'][data-failed='0']")

    page.get_by_label("粘贴文本").fill("参加活动保您中奖")
    page.get_by_role("button", name="试一试").click()
    page.wait_for_selector("[data-fired='true']")
    assert page.locator(".try-outcome mark").inner_text() == "保您中奖"
    assert page.locator(".reasons [data-code='matched']").count() == 1
    shot(page, "rules-edit-try")

    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("#notice.ok")
    assert "acme v2" in page.locator("#notice").inner_text()
    page.wait_for_selector("main[data-page='rules'] h1")
    page.wait_for_function("document.querySelectorAll('main table tbody tr').length >= 2")
    assert "acme v2" in page.locator("main table").last.inner_text()
    shot(page, "rules-published")
    with api_token(console, "reviewer") as api:
        rule = api.get(f"/api/v1/rules/{RULE}").json()
    assert (rule["version"], rule["pack_version"]) == (2, 2)

    # the explanation of a miss
    page.get_by_label("粘贴文本").fill("这个活动不一定中奖")
    page.get_by_role("button", name="试一试").click()
    page.wait_for_selector("[data-fired='false']")
    assert page.locator(".reasons [data-code='keyword_absent']").count() == 1


def test_a_reviewer_reads_the_rule_and_tries_it(page: Any, console: Console) -> None:
    publish_v1(console)
    log_in(page, console, "reviewer")
    page.goto(f"{console.url}/console/#/rules/{RULE}")
    editor = page.get_by_label("YAML（只读）")
    editor.wait_for()
    assert editor.get_attribute("readonly") is not None
    assert page.get_by_role("button", name="发布").count() == 0
    assert page.get_by_role("button", name="校验").count() == 0
    page.get_by_role("button", name="运行样例").click()
    page.wait_for_selector("[data-examples='6'][data-failed='0']")
    page.get_by_label("粘贴文本").fill("这个产品不保本 包您中奖是不可能的")
    page.get_by_role("button", name="试一试").click()
    page.wait_for_selector("[data-fired='false']")
    assert page.locator(".reasons [data-code='negated']").count() >= 1
    shot(page, "rules-reviewer")


def test_agents_have_no_rules_page(page: Any, console: Console) -> None:
    log_in(page, console, "agent")
    assert "规则" not in page.locator("#nav a").all_inner_texts()
