"""GET /api/v1/reports and /api/v1/reports/regulator: files, roles, team scoping, errors."""

from __future__ import annotations

import json

from tests.api.conftest import Api
from tests.services.reports.seed import seed_month


def test_report_formats_and_file_names(api: Api) -> None:
    seed_month(api.platform)
    html = api.client.get("/api/v1/reports?period=2026-11", headers=api.auth("compliance_manager"))
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert 'filename="hegui-report-2026-11.html"' in html.headers["content-disposition"]
    assert "east-1组的泄露住址违规占全部该类违规的86%" in html.text
    pdf = api.client.get(
        "/api/v1/reports",
        params={"period": "2026-11", "team": "west-2", "format": "pdf"},
        headers=api.auth("admin"),
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="hegui-report-2026-11-west-2.pdf"' in pdf.headers["content-disposition"]


def test_a_team_lead_gets_its_own_team_only(api: Api) -> None:
    seed_month(api.platform)
    own = api.client.get(
        "/api/v1/reports",
        params={"period": "2026-11", "format": "json"},
        headers=api.auth("team_lead"),
    )
    assert own.status_code == 200
    report = own.json()
    assert report["scope"]["team"] == "east-1"
    assert {c["team"] for c in report["team_categories"]} == {"east-1"}
    other = api.client.get(
        "/api/v1/reports",
        params={"period": "2026-11", "team": "west-2"},
        headers=api.auth("team_lead"),
    )
    assert other.status_code == 403 and "只能查看本组报告" in other.json()["detail"]
    for role in ("agent", "reviewer"):
        refused = api.client.get("/api/v1/reports", headers=api.auth(role))
        assert refused.status_code == 403


def test_bad_period_and_team(api: Api) -> None:
    seed_month(api.platform)
    bad = api.client.get("/api/v1/reports?period=2026-13", headers=api.auth("admin"))
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["period"]
    assert "无法识别的报告期 unrecognised period" in bad.json()["detail"][0]["msg"]
    team = api.client.get("/api/v1/reports?team=nobody", headers=api.auth("admin"))
    assert team.status_code == 422 and "未知团队 unknown team" in team.json()["detail"][0]["msg"]
    fmt = api.client.get("/api/v1/reports?format=docx", headers=api.auth("admin"))
    assert fmt.status_code == 422


def test_regulator_export(api: Api) -> None:
    seed_month(api.platform)
    answer = api.client.get(
        "/api/v1/reports/regulator",
        params={"period": "2026-11", "team": "east-1"},
        headers=api.auth("compliance_manager"),
    )
    assert answer.status_code == 200
    assert 'filename="hegui-regulator-2026-11.jsonl"' in answer.headers["content-disposition"]
    lines = [json.loads(line) for line in answer.text.splitlines()]
    cases = [line for line in lines if line["type"] == "case"]
    assert len(cases) == 7 and {c["team"] for c in cases} == {"east-1"}
    assert all(c["rule_version"] == 1 and c["due_at"] for c in cases)
    assert lines[-1]["type"] == "chain" and lines[-1]["ok"] is True
