"""Scores and metrics stored by the real worker, and scores redone when a case is
dismissed or overturned, or a re-inspection supersedes a finding (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from hegui.bootstrap import Platform, wire
from hegui.errors import Invalid
from hegui.services.cases.models import Case
from hegui.services.cases.schemas import AppealIn, ReviewIn, RulingIn
from hegui.services.clock import FixedClock
from hegui.services.findings.models import StoredFinding
from hegui.services.metrics import conversations_by
from hegui.services.metrics.conversations import for_revision
from tests.db_fixtures import cheap_passwords
from tests.services.cases.support import ADMIN, AGENT, LEAD, MANAGER, REVIEWER
from tests.services.ingest_support import PROMISE, call, drain, submit

EAST = {"id": "A-17", "team": "east-1"}
WEST = {"id": "B-2", "team": "west-2"}
BAOBEN = "securities.promise.baoben"
CARDS = Path(__file__).resolve().parents[3] / "src" / "hegui" / "scorecards"


def inspected(platform: Platform, cid: str, agent: dict[str, str] = EAST) -> None:
    submit(platform, call(cid, *PROMISE, agent=agent))
    drain(platform)
    # The semantic pack's readings of the promise are dismissed: these tests follow the
    # keyword rules' findings and the score they make.
    for rule, (case_id, _) in cases_of(platform, cid).items():
        if rule.startswith("semantic."):
            act(platform, "review", REVIEWER, case_id, ReviewIn(verdict="dismissed", comment="-"))


def cases_of(platform: Platform, cid: str) -> dict[str, tuple[int, int]]:
    """rule id → (case id, finding id)"""
    with platform.db.reader() as session:
        rows = session.execute(
            select(StoredFinding.rule_id, Case.id, StoredFinding.id)
            .join(Case, Case.finding_id == StoredFinding.id)
            .where(StoredFinding.conversation_id == cid)
        ).all()
    return {rule: (case, finding) for rule, case, finding in rows}


def score_of(platform: Platform, cid: str) -> dict[str, object]:
    with platform.db.reader() as session:
        return platform.scorecards.for_conversation(session, ADMIN, cid).model_dump()


def act(platform: Platform, action: str, user: object, case_id: int, spec: object) -> None:
    with platform.db.transaction() as session:
        getattr(platform.cases, action)(session, user, case_id, spec)


def test_the_worker_scores_and_measures_each_conversation(platform: Platform) -> None:
    inspected(platform, "s-1")
    cases = cases_of(platform, "s-1")
    score = score_of(platform, "s-1")
    assert (score["scorecard"], score["score"], score["fatal"]) == ("securities", 0.0, True)
    breakdown = score["breakdown"]
    assert breakdown["fatal_items"][0]["findings"] == [cases[BAOBEN][1]]  # type: ignore[index]
    cited = {i for d in breakdown["deductions"] for i in d["findings"]}  # type: ignore[attr-defined]
    keyword = {f for rule, (_, f) in cases.items() if not rule.startswith("semantic.")}
    assert cited == keyword
    with platform.db.reader() as session:
        metrics = for_revision(session, _revision_id(platform, "s-1"))
    # call(): turns of 2.5 s every 3 s, agent/customer/agent.
    assert metrics is not None
    assert (metrics["utterances"], metrics["talk_agent"], metrics["talk_customer"]) == (3, 5.0, 2.5)
    assert (metrics["longest_silence"], metrics["first_response"]) == (0.5, 0.5)


def _revision_id(platform: Platform, cid: str) -> int:
    with platform.db.reader() as session:
        return (
            session.scalars(
                select(StoredFinding.revision_id).where(StoredFinding.conversation_id == cid)
            ).first()
            or 0
        )


def test_a_dismissed_case_no_longer_counts(platform: Platform) -> None:
    inspected(platform, "s-2")
    cases = cases_of(platform, "s-2")
    act(
        platform,
        "review",
        REVIEWER,
        cases[BAOBEN][0],
        ReviewIn(verdict="dismissed", comment="误报"),
    )
    score = score_of(platform, "s-2")
    # Left: greeting and closing missing (script item, 5 each) and the courtesy bonus (5).
    assert (score["score"], score["fatal"], score["deducted"], score["bonus"]) == (
        95.0,
        False,
        10.0,
        5.0,
    )
    for rule, (case_id, _) in cases.items():
        if rule != BAOBEN and not rule.startswith("semantic."):
            act(platform, "review", REVIEWER, case_id, ReviewIn(verdict="dismissed", comment="-"))
    assert score_of(platform, "s-2")["score"] == 100.0
    # A confirmed case changes nothing.
    inspected(platform, "s-3")
    act(
        platform,
        "review",
        REVIEWER,
        cases_of(platform, "s-3")[BAOBEN][0],
        ReviewIn(verdict="confirmed", comment="ok"),
    )
    assert score_of(platform, "s-3")["score"] == 0.0


def test_an_overturned_case_no_longer_counts(platform: Platform, clock: FixedClock) -> None:
    inspected(platform, "s-4")
    case_id = cases_of(platform, "s-4")[BAOBEN][0]
    act(platform, "review", REVIEWER, case_id, ReviewIn(verdict="confirmed", comment="ok"))
    clock.advance(timedelta(days=1))
    act(platform, "appeal", AGENT, case_id, AppealIn(reason="我说的是不保本"))
    assert score_of(platform, "s-4")["score"] == 0.0
    act(platform, "ruling", MANAGER, case_id, RulingIn(verdict="overturned", comment="申诉成立"))
    assert score_of(platform, "s-4")["score"] == 95.0


def test_groups_and_heatmap_limited_to_what_the_viewer_sees(platform: Platform) -> None:
    inspected(platform, "s-5")
    inspected(platform, "s-6", WEST)
    act(
        platform,
        "review",
        REVIEWER,
        cases_of(platform, "s-6")[BAOBEN][0],
        ReviewIn(verdict="dismissed", comment="-"),
    )
    with platform.db.reader() as session:
        by_team = {g.key: g for g in platform.scorecards.scores_by(session, ADMIN, "team")}
        assert (by_team["east-1"].average, by_team["east-1"].fatal) == (0.0, 1)
        assert (by_team["west-2"].average, by_team["west-2"].fatal) == (95.0, 0)
        lead = platform.scorecards.scores_by(session, LEAD, "agent")
        assert [(g.key, g.conversations) for g in lead] == [("A-17", 1)]
        cells = {
            (c.team, c.category): (c.findings, c.points)
            for c in platform.scorecards.heatmap(session, ADMIN)
        }
        assert cells[("east-1", "compliance.guarantee_return")] == (1, 10.0)
        assert ("west-2", "compliance.guarantee_return") not in cells  # dismissed
        assert cells[("west-2", "service.missing_greeting")] == (1, 5.0)
        assert {team for team, _ in cells} == {"east-1", "west-2"}
        assert {c.team for c in platform.scorecards.heatmap(session, AGENT)} == {"east-1"}
        metrics = conversations_by(session, ADMIN, "team")
        assert [(g.key, g.conversations, g.averages["talk_agent"]) for g in metrics] == [
            ("east-1", 1, 5.0),
            ("west-2", 1, 5.0),
        ]
        assert [g.key for g in conversations_by(session, AGENT, "agent")] == ["A-17"]


def test_an_institutions_card_by_team_and_a_bad_one_refused(
    platform: Platform, tmp_path: Path
) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    card = (CARDS / "general.yaml").read_text("utf-8")
    card = card.replace("scorecard: general", "scorecard: east\napplies_to:\n  teams: [east-1]")
    (folder / "east.yaml").write_text(card, encoding="utf-8")
    settings = platform.settings.model_copy(update={"scorecards": folder})
    own = wire(settings, platform.db, clock=platform.clock, passwords=cheap_passwords())
    submit(own, call("s-7", *PROMISE, agent=EAST))
    drain(own)
    with own.db.reader() as session:
        assert own.scorecards.for_conversation(session, ADMIN, "s-7").scorecard == "east"
    (folder / "bad.yaml").write_text("scorecard: bad\n", encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        wire(settings, platform.db, clock=platform.clock, passwords=cheap_passwords())
    assert caught.value.field == "HEGUI_SCORECARDS" and "bad.yaml" in str(caught.value)
