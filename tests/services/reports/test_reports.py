"""The report's figures, its trend against the period before, team scoping, and the
suggestion rules on both sides of their thresholds."""

from __future__ import annotations

import pytest

from hegui.bootstrap import Platform
from hegui.errors import Forbidden, Invalid
from hegui.services.reports import Report, Thresholds, build_report, parse_period
from hegui.services.reports.suggestions import suggest
from tests.services.cases.support import ADMIN, AGENT, LEAD
from tests.services.reports.seed import seed_month


def report(
    platform: Platform, period: str = "2026-11", team: str | None = None, viewer=ADMIN
) -> Report:  # type: ignore[no-untyped-def]
    with platform.db.reader() as session:
        return build_report(
            session,
            viewer,
            parse_period(period),
            team=team,
            scorecards=platform.scorecards,
            now=platform.clock.now(),
        )


def test_figures_and_trend(platform: Platform) -> None:
    seed_month(platform)
    r = report(platform)
    assert (r.scope.period, r.scope.previous) == ("2026-11", "2026-10")
    assert (r.totals.conversations.current, r.totals.conversations.previous) == (4, 1)
    assert (r.totals.findings.current, r.totals.findings.previous) == (10, 2)
    assert r.totals.findings.change == 4.0
    address = next(c for c in r.categories if c.category == "privacy.address")
    assert (address.findings, address.previous, address.change) == (7, 2, 2.5)
    assert (address.confirmed, address.dismissed, address.share) == (6, 0, 0.7)
    days = {d.day: d for d in r.daily}
    assert len(r.daily) == 30 and days["2026-11-10"].findings == 7
    assert days["2026-11-20"].conversations == 1 and days["2026-11-20"].findings == 0
    assert [(t.agent_id, t.category, t.confirmed) for t in r.training] == [
        ("A-17", "privacy.address", 6)
    ]
    assert r.training[0].assignment == "assigned"  # the training push made one
    assert r.top_risks[0].severity == "high" and r.sla.reviewed == 8
    october = report(platform, "2026-10")
    assert october.totals.findings.current == 2 and october.scope.previous == "2026-09"


def test_team_scoping(platform: Platform) -> None:
    seed_month(platform)
    west = report(platform, team="west-2")
    assert west.scope.team == "west-2" and west.totals.findings.current == 3
    assert {c.team for c in west.team_categories} == {"west-2"} and west.training == []
    lead = report(platform, viewer=LEAD)
    assert lead.scope.team == "east-1" and lead.totals.findings.current == 7
    with pytest.raises(Forbidden):
        report(platform, team="west-2", viewer=LEAD)
    with pytest.raises(Forbidden):
        report(platform, viewer=AGENT)
    with pytest.raises(Invalid, match="未知团队 unknown team 'east-9'"):
        report(platform, team="east-9")


def test_suggestions_cite_their_figures(platform: Platform) -> None:
    seed_month(platform)
    r = report(platform)
    rules = {s.rule: s for s in r.suggestions}
    concentration = rules["team_concentration"]
    assert "east-1组的泄露住址违规占全部该类违规的86%（6/7）" in concentration.zh
    assert concentration.figures == {
        "team": "east-1",
        "category": "privacy.address",
        "findings": 6,
        "category_findings": 7,
        "share": 0.8571,
    }
    assert rules["rising_category"].figures["previous"] == 2
    assert "A-17" in rules["training_follow_up"].zh
    assert "noisy_rule" not in rules and "sla" not in rules


def test_thresholds_both_ways(platform: Platform) -> None:
    seed_month(platform)
    r = report(platform)
    fired = lambda limits: {s.rule for s in suggest(r, limits)}  # noqa: E731
    assert "team_concentration" in fired(Thresholds(concentration_share=0.85))
    assert "team_concentration" not in fired(Thresholds(concentration_share=0.9))
    assert "rising_category" not in fired(Thresholds(rising_change=2.6))
    assert "rising_category" not in fired(Thresholds(min_findings=8))
    # east-1 on its own: address is 6 of its 7 findings → the in-team rule fires instead.
    east = report(platform, team="east-1")
    east_rules = {s.rule: s for s in east.suggestions}
    assert "team_concentration" not in east_rules
    assert east_rules["category_dominant"].figures["share"] == 0.8571
    assert "占本组违规的86%" in east_rules["category_dominant"].zh
    assert "low_score" in fired(Thresholds(score_min_conversations=1, score_floor=95))
    assert "low_score" not in fired(Thresholds(score_min_conversations=1, score_floor=30))


def test_periods() -> None:
    assert parse_period("2026-W45").label == "2026-W45"
    assert parse_period("2026-Q4").previous().label == "2026-Q3"
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026-11").since.isoformat() == "2026-10-31T16:00:00+00:00"
    with pytest.raises(Invalid, match="period"):
        parse_period("2026-02-30")
