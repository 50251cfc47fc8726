"""Rule packs stored with versions: publishing checks, the Inspector the worker builds from
them, findings with the rule version, and re-inspecting a period after a new version."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from hegui.bootstrap import Platform
from hegui.errors import Conflict, Invalid, NotFound
from hegui.services.findings import Inspection
from hegui.services.rulesets import DatabaseRuleSource
from tests.services.ingest_support import PACK_V1, PACK_V2, call, count, drain, submit

CST = timezone(timedelta(hours=8))
LOTTERY = "acme.promise.lottery"


def publish(platform: Platform, text: str, actor: str = "cm") -> int:
    with platform.db.transaction() as session:
        return platform.rulesets.publish(session, text, actor=actor).version


def lottery_call(cid: str, day: int, phrase: str = "包您中奖") -> dict[str, object]:
    started = datetime(2026, 11, day, 10, 0, tzinfo=CST).isoformat()
    return call(cid, f"您好 参加活动{phrase}", "真的吗", "放心吧", started_at=started)


def lottery(platform: Platform, cid: str, **kw: bool) -> list[tuple[int, bool]]:
    with platform.db.reader() as session:
        found = platform.findings.for_conversation(session, cid, **kw)
    return [(f.rule_version, f.superseded_at is not None) for f in found if f.rule_id == LOTTERY]


def test_publishing_versions(platform: Platform) -> None:
    assert publish(platform, PACK_V1) == 1
    assert publish(platform, PACK_V1) == 1  # the same text publishes nothing
    assert publish(platform, PACK_V2) == 2
    with platform.db.reader() as session:
        versions = platform.rulesets.versions(session, "acme")
        assert [(v.version, v.published_by) for v in versions] == [(1, "cm"), (2, "cm")]
        assert versions[1].rules[LOTTERY]["version"] == 2
        actions = [e.action for e in platform.audit.entries(session)]
    assert actions.count("rulepack.publish") == 2
    [pack] = DatabaseRuleSource(platform.db).packs()
    assert (pack.name, pack.origin) == ("acme", "db:acme@2")


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("pack: acme\nrules: [", "text", "text:"),
        ("", "text", "empty"),
        (PACK_V1.replace("pack: acme", "pack: securities"), "pack", "shipped"),
        (
            PACK_V1.replace("acme.promise.lottery", "securities.promise.baoben"),
            "rules[0].id",
            "securities",
        ),
        (
            PACK_V1.replace("category: compliance.unauthorized_commitment", "category: made.up"),
            "rules",
            "compile",
        ),
        (
            PACK_V1.replace("no_match: [这个活动不一定中奖", "no_match: [包您中奖"),
            "rules[0].examples",
            "no_match",
        ),
    ],
)
def test_a_bad_pack_is_refused_naming_the_field(
    platform: Platform, text: str, field: str, says: str
) -> None:
    with platform.db.transaction() as session, pytest.raises(Invalid) as caught:
        platform.rulesets.publish(session, text, actor="cm")
    assert caught.value.field == field and says in caught.value.reason


def test_a_changed_rule_needs_a_higher_version(platform: Platform) -> None:
    publish(platform, PACK_V1)
    unbumped = PACK_V2.replace("version: 2", "version: 1")
    with platform.db.transaction() as session, pytest.raises(Invalid) as caught:
        platform.rulesets.publish(session, unbumped, actor="cm")
    assert caught.value.field == "rules[0].version" and "raise its version" in caught.value.reason
    publish(platform, PACK_V2)
    with (
        platform.db.transaction() as session,
        pytest.raises(Invalid, match="version 1 < published 2"),
    ):
        platform.rulesets.publish(session, PACK_V1, actor="cm")


def test_rule_ids_stay_with_their_pack(platform: Platform) -> None:
    publish(platform, PACK_V1)
    other = PACK_V1.replace("pack: acme", "pack: other")
    with platform.db.transaction() as session, pytest.raises(Invalid, match="is in acme"):
        platform.rulesets.publish(session, other, actor="cm")


def test_the_worker_runs_published_packs_and_records_rule_versions(platform: Platform) -> None:
    submit(platform, lottery_call("before", 1))
    drain(platform)
    assert lottery(platform, "before") == []
    publish(platform, PACK_V1)
    submit(platform, lottery_call("after", 1))
    drain(platform)
    assert lottery(platform, "after") == [(1, False)]
    with platform.db.reader() as session:
        rules = session.scalars(select(Inspection.rules).order_by(Inspection.id)).all()
    assert [r["packs"] for r in rules] == [{}, {"acme": 1}]


def test_the_inspector_is_rebuilt_only_when_published_rules_change(platform: Platform) -> None:
    provider = platform.worker.step.inspectors  # type: ignore[attr-defined]
    with platform.db.reader() as session:
        first = provider.current(session).inspector
        assert provider.current(session).inspector is first
    publish(platform, PACK_V1)
    with platform.db.reader() as session:
        second = provider.current(session).inspector
    assert second is not first
    publish(platform, PACK_V1)
    with platform.db.reader() as session:
        assert provider.current(session).inspector is second


def test_reinspecting_a_period_after_a_new_version(platform: Platform) -> None:
    publish(platform, PACK_V1)
    submit(
        platform,
        lottery_call("in-1", 3),
        lottery_call("in-2", 4, phrase="保您中奖"),
        lottery_call("out", 20),
    )
    drain(platform)
    with platform.db.reader() as session:
        others = {
            cid: sorted(
                f.id
                for f in platform.findings.for_conversation(session, cid)
                if f.rule_id != LOTTERY
            )
            for cid in ("in-1", "in-2")
        }
    assert lottery(platform, "in-1") == [(1, False)] and lottery(platform, "in-2") == []
    publish(platform, PACK_V2)
    since, until = datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 11, 10, tzinfo=CST)
    with platform.db.transaction() as session:
        job = platform.rulesets.reinspect(session, "acme", since, until, actor="cm")
        job_id, total, params = job.id, job.total, job.params
    assert total == 2 and params["version"] == 2 and params["rule_ids"] == [LOTTERY]
    assert drain(platform) == 2
    with platform.db.reader() as session:
        assert platform.jobs.read(session, job_id).status == "done"
        again = count(session, "SELECT count(*) FROM inspections WHERE kind = 'again'")
        # Other rules' findings are untouched: the same rows, not copies.
        for cid, ids in others.items():
            kept = [
                f.id
                for f in platform.findings.for_conversation(session, cid)
                if f.rule_id != LOTTERY
            ]
            assert sorted(kept) == ids
    assert again == 2
    assert lottery(platform, "in-1") == [(2, False)]
    assert lottery(platform, "in-1", include_superseded=True) == [(1, True), (2, False)]
    assert lottery(platform, "in-2") == [(2, False)]
    assert lottery(platform, "out") == [(1, False)]


def test_reinspection_needs_a_published_pack_and_a_period(platform: Platform) -> None:
    since, until = datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 11, 10, tzinfo=CST)
    with platform.db.transaction() as session, pytest.raises(NotFound):
        platform.rulesets.reinspect(session, "acme", since, until, actor="cm")
    publish(platform, PACK_V1)
    with platform.db.transaction() as session, pytest.raises(Invalid) as caught:
        platform.rulesets.reinspect(session, "acme", until, since, actor="cm")
    assert caught.value.field == "until"
    with platform.db.transaction() as session:
        platform.rulesets.withdraw(session, "acme", actor="cm")
    with platform.db.transaction() as session, pytest.raises(Conflict, match="withdrawn"):
        platform.rulesets.reinspect(session, "acme", since, until, actor="cm")
    assert DatabaseRuleSource(platform.db).packs() == []
