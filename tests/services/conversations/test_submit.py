"""Submitting conversations: idempotent by id and content, revisions, errors by index."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from tests.services.ingest_support import PROMISE, call, count, drain, submit


def revisions(session: Session, cid: str) -> int:
    return count(
        session, "SELECT count(*) FROM conversation_revisions WHERE conversation_id = :c", c=cid
    )


def first_inspections(session: Session) -> int:
    return count(session, "SELECT count(*) FROM inspections WHERE kind = 'first'")


def test_one_conversation_is_accepted_then_inspected(platform: Platform) -> None:
    result = submit(platform, call("c-1", *PROMISE))
    assert result.accepted == ["c-1"] and result.rejected == []
    with platform.db.reader() as session:
        assert platform.jobs.read(session, result.job_id).status == "queued"
        assert platform.conversations.get(session, "c-1").status == "pending"
    assert drain(platform) == 1
    with platform.db.reader() as session:
        job = platform.jobs.read(session, result.job_id)
        assert (job.status, job.total, job.done) == ("done", 1, 1)
        conversation = platform.conversations.get(session, "c-1")
        assert (conversation.status, conversation.revision) == ("inspected", 1)
        assert conversation.contract()["utterances"][2]["text"] == PROMISE[2]
        rules = {f.rule_id for f in platform.findings.for_conversation(session, "c-1")}
        assert "securities.promise.baoben" in rules


def test_same_content_again_changes_nothing(platform: Platform) -> None:
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        before = count(session, "SELECT count(*) FROM findings")
    # Key order, a default written out and 3 for 3.0 do not make new content.
    again = call("c-1", *PROMISE)
    again = {"channel": "phone", **dict(reversed(list(again.items())))}
    again["utterances"][0]["start"] = 0
    second = submit(platform, again)
    assert second.accepted == ["c-1"]
    assert drain(platform) == 0
    with platform.db.reader() as session:
        job = platform.jobs.read(session, second.job_id)
        assert (job.status, job.total) == ("done", 0)
        assert revisions(session, "c-1") == 1
        assert first_inspections(session) == 1
        assert count(session, "SELECT count(*) FROM findings") == before


def test_resubmitted_while_pending_is_inspected_once(platform: Platform) -> None:
    first = submit(platform, call("c-1", *PROMISE))
    second = submit(platform, call("c-1", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        for job_id in (first.job_id, second.job_id):
            job = platform.jobs.read(session, job_id)
            assert (job.status, job.total, job.done) == ("done", 1, 1)
        assert revisions(session, "c-1") == 1
        assert first_inspections(session) == 1


def test_new_content_is_a_new_revision_inspected_again(platform: Platform) -> None:
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    changed = call("c-1", "您好", "这个基金保本吗", "这个产品不保本 投资有风险")
    result = submit(platform, changed)
    assert result.accepted == ["c-1"]
    assert drain(platform) == 1
    with platform.db.reader() as session:
        assert revisions(session, "c-1") == 2 and first_inspections(session) == 2
        current = platform.findings.for_conversation(session, "c-1")
        assert {f.revision for f in current} <= {2}
        assert "securities.promise.baoben" not in {f.rule_id for f in current}
        old = platform.findings.for_conversation(session, "c-1", revision=1)
        assert "securities.promise.baoben" in {f.rule_id for f in old}
        assert (
            platform.conversations.get(session, "c-1", revision=1).utterances[2].text == PROMISE[2]
        )


def test_content_seen_in_an_older_revision_is_a_late_retry(platform: Platform) -> None:
    submit(platform, call("c-1", "版本一"))
    submit(platform, call("c-1", "版本二"))
    drain(platform)
    retry = submit(platform, call("c-1", "版本一"))
    assert drain(platform) == 0
    with platform.db.reader() as session:
        assert revisions(session, "c-1") == 2
        assert platform.jobs.read(session, retry.job_id).total == 0
        assert platform.conversations.get(session, "c-1").utterances[0].text == "版本二"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"channel": "phone", "utterances": []}, "id"),
        ({"id": "x", "channel": "fax", "utterances": []}, "channel"),
        (
            {
                "id": "x",
                "utterances": [{"role": "agent", "text": "a"}, {"role": "boss", "text": "b"}],
            },
            "utterances[1].role",
        ),
        ({"id": "x", "utterances": [{"role": "agent", "text": 5}]}, "utterances[0].text"),
        (
            {"id": "x", "utterances": [{"role": "agent", "text": "a", "start": 2, "end": 1}]},
            "utterances[0].end",
        ),
        ({"id": "x", "agent": {"id": ["A1"]}, "utterances": []}, "agent.id"),
        ({"id": "x", "agent": "A1", "utterances": []}, "agent"),
        ({"id": "x", "started_at": "yesterday", "utterances": []}, "started_at"),
        ({"id": "x" * 129, "utterances": []}, "id"),
        ({"id": "x", "metadata": {"k": "a\x00b"}, "utterances": []}, "metadata.k"),
        ({"id": "x", "utterances": [{"role": "agent", "text": "\ud800"}]}, "utterances[0].text"),
        ("not an object", None),
    ],
)
def test_a_bad_conversation_is_refused_naming_its_field_and_the_rest_stored(
    platform: Platform, bad: object, field: str | None
) -> None:
    with platform.db.transaction() as session:
        result = platform.conversations.submit(
            session, [call("good-1", "您好"), bad, call("good-2", "您好")], actor="t"
        )
    assert result.accepted == ["good-1", "good-2"]
    [rejected] = result.rejected
    assert rejected.index == 1
    if field is None:  # the object as a whole
        assert rejected.error.startswith("应为 JSON 对象")
    else:
        assert rejected.error.startswith(f"{field}: ")
    with platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM conversations") == 2
        assert count(session, "SELECT count(*) FROM conversation_revisions") == 2
        assert platform.jobs.read(session, result.job_id).total == 2


def test_one_object_or_a_list(platform: Platform) -> None:
    with platform.db.transaction() as session:
        one = platform.conversations.submit(session, call("solo", "您好"), actor="t")
    assert one.accepted == ["solo"]


def test_people_and_unknown_fields_are_kept(platform: Platform) -> None:
    fields = {
        "started_at": "2026-11-01T09:30:00",
        "agent": {"id": 102, "name": "王敏", "team": "财富一组", "seat": "7"},
        "customer": {"id": "C889"},
        "crm": {"ticket": "T-1"},
    }
    submit(platform, call("c-1", "您好", **fields))
    with platform.db.reader() as session:
        read = platform.conversations.get(session, "c-1")
        contract = read.contract()
    assert contract["agent"] == {"id": 102, "name": "王敏", "team": "财富一组", "seat": "7"}
    assert contract["crm"] == {"ticket": "T-1"} and contract["customer"] == {"id": "C889"}
    # A time without a zone is China Standard Time; times come back in UTC.
    assert contract["started_at"] == "2026-11-01T01:30:00+00:00" and contract["status"] == "pending"
    assert (read.agent_id, read.team) == ("102", "财富一组")
    assert (
        read.started_at is not None and read.started_at.isoformat() == "2026-11-01T01:30:00+00:00"
    )
