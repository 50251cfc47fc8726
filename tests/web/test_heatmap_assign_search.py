"""The dashboard's heat map and scores, the case page's 分派 and the ledger's search in a real
browser: a heat-map cell opens the ledger of its team and category; the scores are the API's;
a team lead assigns a case to a reviewer chosen from the API's assignees (choosing nobody
first: the console says so); a search narrows the ledger to the API's matches and stays in
the hash."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.web.conftest import Console, shot
from tests.web.test_console import PERIOD, api_token, log_in
from tests.web.test_dashboard_filters import RANGE, hash_params

ROLE_NAMES = {"reviewer": "质检员", "compliance_manager": "合规经理"}


def test_a_heat_map_cell_opens_the_ledger_of_its_team_and_category(
    page: Any, console: Console
) -> None:
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector(".heatmap table")
    cells = json.loads(page.locator(".heatmap").get_attribute("data-cells"))
    with api_token(console, "compliance_manager") as api:
        answer = api.get("/api/v1/metrics/heatmap", params=RANGE).raise_for_status().json()
        scores = api.get("/api/v1/metrics/scores", params={**RANGE, "group_by": "team"}).json()
    assert cells == [[c["team"], c["category"], c["findings"]] for c in answer["cells"]]
    shot(page, "dashboard-heatmap")
    shown = page.locator("[data-score]").evaluate_all(
        "(links) => links.map((a) => a.dataset.score)"
    )
    assert shown == [g["key"] for g in scores["groups"] if g["key"]]

    team, category, findings = next(c for c in cells if c[0] == "east-1")
    # A real click on the cell: the heat map is a table, each cell a link shaded by its count.
    cell = page.locator(f".heatmap td a[data-cell='{team}|{category}']")
    assert cell.inner_text() == str(findings)
    cell.click()  # scrolled into view, then the mouse
    page.wait_for_selector("main[data-page='ledger'] table")
    params = hash_params(page)
    assert params["team"] == team and params["category"] == category
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total >= findings > 0  # the ledger also lists dismissed cases, which scores skip
    teams = set(page.locator("tbody tr td:nth-child(7)").all_inner_texts())
    assert teams == {team}


def test_a_team_lead_assigns_a_case_and_a_reviewer_unassigns_it(
    page: Any, console: Console
) -> None:
    with api_token(console, "team_lead") as lead_api:
        case = lead_api.get("/api/v1/cases", params={"status": "new", "limit": 1}).json()["items"][
            0
        ]
        assignees = lead_api.get("/api/v1/cases/assignees").raise_for_status().json()["items"]
    log_in(page, console, "team_lead")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("main[data-page='case'] [data-assignee='']")
    assert page.locator("[data-assignee]").inner_text() == "未分派"
    field = page.get_by_label(re.compile("^分派给"))
    # A choice of the API's assignees (reviewers and compliance managers), labelled by role.
    options = field.locator("option").evaluate_all(
        "(os) => os.map((o) => [o.value, o.textContent])"
    )
    assert options == [["", "— 请选择 —"]] + [
        [u["username"], f"{u['username']}（{ROLE_NAMES[u['role']]}）"] for u in assignees
    ]
    assert {u["username"] for u in assignees} == {"rev", "cm"}  # no agent, no team lead
    page.get_by_role("button", name="分派", exact=True).click()  # nobody chosen
    page.wait_for_selector("#notice:not([hidden])")
    assert "请选择处理人" in page.locator("#notice").inner_text()
    assert page.get_by_role("button", name="分派给我").count() == 0  # a team lead does not review
    field.select_option("rev")
    page.get_by_role("button", name="分派", exact=True).click()
    page.wait_for_selector("[data-assignee='rev']")
    assert page.get_by_label(re.compile("^分派给")).input_value() == "rev"
    shot(page, "case-assigned")
    with api_token(console, "reviewer") as reviewer_api:
        mine = reviewer_api.get("/api/v1/cases", params={"assignee": "rev"}).json()
    assert [c["id"] for c in mine["items"]] == [case["id"]]

    page.locator("#logout").click()
    log_in(page, console, "reviewer")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("[data-assignee='rev']")
    page.get_by_role("button", name="取消分派").click()
    page.wait_for_selector("[data-assignee='']")
    page.get_by_role("button", name="分派给我").click()
    page.wait_for_selector("[data-assignee='rev']")

    page.locator("#logout").click()
    log_in(page, console, "agent")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector("[data-assignee='rev']")
    assert page.get_by_label(re.compile("^分派给")).count() == 0


def test_a_search_narrows_the_ledger_to_the_apis_matches_and_stays_in_the_hash(
    page: Any, console: Console
) -> None:
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/ledger?{PERIOD}&severity=high")
    page.wait_for_selector("main[data-page='ledger'] table")
    before = page.locator("[data-total]").get_attribute("data-total")
    page.get_by_label("搜索").fill(" 保本 ")
    page.get_by_role("button", name="查询").click()
    page.wait_for_function(
        "(n) => document.querySelector('[data-total]')?.dataset.total !== n", arg=before
    )
    params = hash_params(page)
    assert params["q"] == "保本" and params["severity"] == "high"
    with api_token(console, "compliance_manager") as api:
        query = {**RANGE, "severity": "high", "q": "保本", "limit": 100}
        expected = api.get("/api/v1/cases", params=query).raise_for_status().json()
    assert expected["total"] > 0
    assert int(page.locator("[data-total]").get_attribute("data-total")) == expected["total"]
    shown = page.locator("tbody tr td:nth-child(1)").all_inner_texts()
    assert shown == [f"#{c['id']}" for c in expected["items"]]
    shot(page, "ledger-search")

    page.reload()
    page.wait_for_selector("main[data-page='ledger'] table")
    assert page.get_by_label("搜索").input_value() == "保本"
    assert int(page.locator("[data-total]").get_attribute("data-total")) == expected["total"]

    page.get_by_label("搜索").fill("no-such-text_%")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-total='0']")
    assert hash_params(page)["q"] == "no-such-text_%"
