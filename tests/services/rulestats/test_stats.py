"""Per-rule precision from verdicts, noisy rules, and exceptions suggested from the evidence
of dismissed cases."""

from __future__ import annotations

from hegui.bootstrap import Platform
from hegui.services.cases.schemas import AppealIn, ReviewIn, RulingIn
from hegui.services.rulestats import NoiseThresholds, rule_stats
from tests.services.cases.support import AGENT, MANAGER, REVIEWER, finding, open_cases

RULE = "securities.promise.baoben"


def case_with(platform: Platform, text: str, verdict: str, rule_id: str = RULE) -> int:
    start = text.index("保本")
    found = finding("x", rule_id=rule_id, span=(start, start + 2), evidence=text)
    [case_id] = open_cases(platform, None, found, turns=("您好", "请问", text))
    with platform.db.transaction() as session:
        review = "dismissed" if verdict == "dismissed" else "confirmed"
        platform.cases.review(session, REVIEWER, case_id, ReviewIn(verdict=review))  # type: ignore[arg-type]
        if verdict in ("upheld", "overturned"):
            platform.cases.appeal(session, AGENT, case_id, AppealIn(reason="不服"))
            platform.cases.ruling(session, MANAGER, case_id, RulingIn(verdict=verdict))  # type: ignore[arg-type]
    return case_id


def test_precision_noise_and_suggestions(platform: Platform) -> None:
    for text in ("请投保本人签字", "需要投保本人到场", "投保本人是谁"):
        case_with(platform, text, "dismissed")
    case_with(platform, "放心 这个产品是保本的", "confirmed")
    case_with(platform, "绝对保本 您放心", "upheld")
    case_with(platform, "退保本金会少", "overturned")
    case_with(platform, "这个产品是保本的", "confirmed", rule_id="other.rule")
    open_cases(platform)  # not reviewed: no verdict
    with platform.db.reader() as session:
        stats = rule_stats(session)
        strict = rule_stats(
            session, RULE, thresholds=NoiseThresholds(precision=0.5, min_verdicts=6)
        )
        lenient = rule_stats(session, RULE, thresholds=NoiseThresholds(min_verdicts=7))
    assert set(stats) == {RULE, "other.rule"}
    mine = stats[RULE]
    assert (mine["confirmed"], mine["dismissed"], mine["upheld"], mine["overturned"]) == (
        2,
        4,
        1,
        1,
    )
    assert mine["precision"] == 2 / 6
    assert not mine["noisy"]  # fewer than 10 verdicts
    assert strict[RULE]["noisy"] and not lenient[RULE]["noisy"]
    assert mine["suggested_exceptions"] == ["保本人"]
    assert stats["other.rule"] == {
        "confirmed": 1,
        "dismissed": 0,
        "upheld": 0,
        "overturned": 0,
        "precision": 1.0,
        "noisy": False,
        "suggested_exceptions": [],
    }


def test_no_verdicts_no_stats(platform: Platform) -> None:
    open_cases(platform)
    with platform.db.reader() as session:
        assert rule_stats(session) == {} and rule_stats(session, RULE) == {}
