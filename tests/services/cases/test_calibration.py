"""Calibration: conversations without findings sampled for human review (deterministic, once
each), labelled independently by two reviewers, and their agreement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hegui.bootstrap import Platform
from hegui.errors import Conflict, Forbidden, Invalid
from hegui.services.access import Principal
from hegui.services.cases import CaseFilter, sample_calibration
from hegui.services.cases.calibration import sampled
from hegui.services.cases.schemas import LabelIn, ReviewIn
from hegui.services.clock import FixedClock
from hegui.services.users.schemas import Role
from tests.services.cases.support import ADMIN, AGENT, MANAGER, REVIEWER, open_case
from tests.services.ingest_support import PROMISE, call, count, drain, submit

GREETING = "您好 这里是华泰证券 我是客服小李 工号1024 很高兴为您服务"
CLEAN_CALL = (
    GREETING,
    "我想查一下余额",
    "好的 请稍等 您的账户余额已经发送到您的手机 请问还有其他问题吗",
    "没有了 谢谢",
    "感谢您的来电 祝您生活愉快 再见",
)


def clean(cid: str) -> dict[str, object]:
    """A call the shipped rules find nothing in (slow enough speech, greeting, closing)."""
    conversation = call(cid, *CLEAN_CALL)
    for i, utterance in enumerate(conversation["utterances"]):
        utterance["start"], utterance["end"] = 10.0 * i, 10.0 * i + 8
    return conversation


SECOND = Principal(9010, "rev2", Role.reviewer)
THIRD = Principal(9011, "rev3", Role.reviewer)


def calibration_cases(platform: Platform, user: Principal = ADMIN) -> list[int]:
    with platform.db.reader() as session:
        items, _ = platform.cases.list(
            session, user, CaseFilter(kind="calibration"), limit=100, offset=0
        )
    return [item.id for item in items]


def with_share(platform: Platform, share: float) -> Platform:
    settings = platform.settings.model_copy(update={"calibration_share": share})
    platform.settings = settings
    return platform


def label(platform: Platform, user: Principal, case_id: int, **spec: object) -> None:
    with platform.db.transaction() as session:
        platform.calibration.label(session, user, case_id, LabelIn(**spec))  # type: ignore[arg-type]


def test_sampling_is_deterministic_and_close_to_the_share() -> None:
    assert [sampled(i, 0.0) for i in range(50)] == [False] * 50
    assert [sampled(i, 1.0) for i in range(50)] == [True] * 50
    picked = sum(sampled(i, 0.1) for i in range(20_000))
    assert 1700 < picked < 2300
    assert [sampled(i, 0.1) for i in range(100)] == [sampled(i, 0.1) for i in range(100)]


def test_conversations_without_findings_are_sampled_once(
    platform: Platform, clock: FixedClock
) -> None:
    with_share(platform, 1.0)
    submit(platform, clean("clean-1"), call("dirty", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        has_findings = count(session, "SELECT count(*) FROM findings WHERE conversation_id='dirty'")
    assert has_findings  # only conversations without findings are sampled
    clock.advance(timedelta(minutes=1))
    [case_id] = sample_calibration(platform)
    assert sample_calibration(platform) == []  # looked at again: nothing new
    with platform.db.reader() as session:
        case = platform.cases.get(session, ADMIN, case_id)
        assert platform.cases.list(session, ADMIN, CaseFilter(), limit=100, offset=0)[1] > 0
    assert (case.kind, case.conversation_id, case.category, case.finding) == (
        "calibration",
        "clean-1",
        None,
        None,
    )
    assert case.status == "new" and case.transcript is not None
    assert [line.text for line in case.transcript][:1] == [GREETING]
    # Finding cases and calibration cases are listed apart (every finding opens one case).
    assert calibration_cases(platform) == [case_id]


def test_no_share_no_sample(platform: Platform, clock: FixedClock) -> None:
    with_share(platform, 0.0)
    submit(platform, clean("clean-1"))
    drain(platform)
    clock.advance(timedelta(minutes=1))
    assert sample_calibration(platform) == []


def test_two_independent_labels_calibrate_and_agreement_is_tracked(
    platform: Platform, clock: FixedClock
) -> None:
    with_share(platform, 1.0)
    submit(platform, *(clean(f"clean-{i}") for i in range(3)))
    drain(platform)
    clock.advance(timedelta(minutes=1))
    first, second, third = sample_calibration(platform)
    label(platform, REVIEWER, first, verdict="clean")
    with platform.db.reader() as session:
        own = platform.cases.get(session, REVIEWER, first)
        other = platform.cases.get(session, SECOND, first)
        managed = platform.cases.get(session, MANAGER, first)
    # Until both have labelled, a reviewer sees only their own label; history names no verdict.
    assert [lab.reviewer for lab in own.labels] == ["rev"] and other.labels == []
    assert len(managed.labels) == 1 and own.status == "new"
    assert own.history[-1].action == "label" and own.history[-1].details == {}
    with pytest.raises(Conflict, match="already"):
        label(platform, REVIEWER, first, verdict="clean")
    label(platform, SECOND, first, verdict="clean")
    label(platform, REVIEWER, second, verdict="violation", category="privacy.phone")
    label(platform, SECOND, second, verdict="clean")
    label(platform, REVIEWER, third, verdict="violation", category="privacy.phone")
    label(platform, THIRD, third, verdict="violation", category="privacy.phone")
    with pytest.raises(Conflict, match="calibrated"):
        label(platform, MANAGER, third, verdict="clean")
    with platform.db.reader() as session:
        done = platform.cases.get(session, SECOND, first)
        overall, reviewers, categories = platform.calibration.agreement(session)
    assert done.status == "calibrated" and len(done.labels) == 2 and done.due_at is None
    assert (overall.items, overall.agreed) == (3, 2)
    assert {(a.key, a.items, a.agreed) for a in reviewers} == {
        ("rev", 3, 2),
        ("rev2", 2, 1),
        ("rev3", 1, 1),
    }
    assert {(a.key, a.items, a.agreed) for a in categories} == {
        ("clean", 2, 1),
        ("privacy.phone", 2, 1),
    }
    assert next(a for a in reviewers if a.key == "rev2").rate == 0.5


def test_labels_are_checked(platform: Platform, clock: FixedClock) -> None:
    with_share(platform, 1.0)
    submit(platform, clean("clean-1"))
    drain(platform)
    clock.advance(timedelta(minutes=1))
    [case_id] = sample_calibration(platform)
    with pytest.raises(Invalid, match="category"):
        label(platform, REVIEWER, case_id, verdict="violation")
    with pytest.raises(Invalid, match="category"):
        label(platform, REVIEWER, case_id, verdict="violation", category="no.such")
    with pytest.raises(Invalid, match="category"):
        label(platform, REVIEWER, case_id, verdict="clean", category="privacy.phone")
    with pytest.raises(Forbidden):
        label(platform, AGENT, case_id, verdict="clean")


def test_calibration_and_finding_cases_take_their_own_actions(
    platform: Platform, clock: FixedClock
) -> None:
    with_share(platform, 1.0)
    submit(platform, clean("clean-1"))
    drain(platform)
    clock.advance(timedelta(minutes=1))
    [sample] = sample_calibration(platform)
    finding_case = open_case(platform)
    with pytest.raises(Conflict, match="calibration"), platform.db.transaction() as session:
        platform.cases.review(session, REVIEWER, sample, ReviewIn(verdict="confirmed"))
    with pytest.raises(Conflict, match="finding"):
        label(platform, REVIEWER, finding_case, verdict="clean")
