"""Text is masked before it is stored; raw text is kept only sealed, and reading it is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from hegui.bootstrap import Platform, wire
from hegui.errors import Conflict, Invalid, NotFound
from hegui.services.clock import FixedClock
from hegui.services.masking import mask_policy
from hegui.settings import Settings
from tests.db_fixtures import cheap_passwords
from tests.services.ingest_support import (
    ID_NUMBER,
    PHONE,
    call,
    count,
    drain,
    dump,
    keeping_raw,
    submit,
)

LEAK = call(
    "leak-1",
    "您好 请问有什么可以帮您",
    "我想改一下手机号",
    f"您登记的手机是{PHONE}对吧 身份证{ID_NUMBER}",
    metadata={"note": f"客户电话 {PHONE}"},
    crm={"remark": f"身份证 {ID_NUMBER}"},
    customer={"id": "C889", "mobile": PHONE},
)


def test_no_raw_digits_reach_the_database(platform: Platform) -> None:
    submit(platform, LEAK)
    with platform.db.reader() as session:
        stored = dump(session)
    assert PHONE not in stored and ID_NUMBER not in stored
    drain(platform)
    with platform.db.reader() as session:
        stored = dump(session)
        assert PHONE not in stored and ID_NUMBER not in stored
        # The transit copy the worker read is gone with the inspection.
        assert (
            count(
                session, "SELECT count(*) FROM conversation_revisions WHERE raw_sealed IS NOT NULL"
            )
            == 0
        )
        read = platform.conversations.get(session, "leak-1").contract()
        findings = platform.findings.for_conversation(session, "leak-1")
    assert read["utterances"][2]["text"] == "您登记的手机是138****5678对吧 身份证**************1234"
    assert read["metadata"] == {"note": "客户电话 138****5678"}
    assert read["crm"] == {"remark": "身份证 **************1234"}
    assert read["customer"] == {"id": "C889", "mobile": "138****5678"}
    # Inspected on the raw text (the leak is found), reported masked, spans into stored text.
    leaks = {f.rule_id: f for f in findings if f.rule_id.startswith("privacy.pii.")}
    assert {"privacy.pii.phone", "privacy.pii.id_number"} <= set(leaks)
    for finding in leaks.values():
        assert finding.span is not None and finding.utterance_index == 2
        text = read["utterances"][2]["text"]
        assert text[finding.span[0] : finding.span[1]] == finding.matched
        assert finding.evidence == text


def test_raw_text_is_kept_sealed_and_reading_it_is_audited(
    platform: Platform, clock: FixedClock
) -> None:
    keeping = keeping_raw(platform, clock)
    submit(keeping, LEAK)
    drain(keeping)
    with keeping.db.reader() as session:
        assert PHONE not in dump(session)
        assert (
            count(
                session, "SELECT count(*) FROM conversation_revisions WHERE raw_sealed IS NOT NULL"
            )
            == 1
        )
        assert keeping.conversations.get(session, "leak-1").raw_kept
        assert (
            count(session, "SELECT count(*) FROM audit_log WHERE action = 'conversation.raw_read'")
            == 0
        )
    with keeping.db.transaction() as session:
        raw = keeping.conversations.read_raw(
            session, "leak-1", actor="auditor", reason="complaint 17"
        )
    assert raw["utterances"][2]["text"].startswith(f"您登记的手机是{PHONE}")
    assert raw["metadata"] == {"note": f"客户电话 {PHONE}"}
    with keeping.db.reader() as session:
        [entry] = [e for e in keeping.audit.entries(session) if e.action == "conversation.raw_read"]
        assert (entry.actor, entry.object_type, entry.object_id) == (
            "auditor",
            "conversation",
            "leak-1",
        )
        assert entry.details == {"revision": 1, "reason": "complaint 17"}


def test_raw_text_not_kept_cannot_be_read(platform: Platform) -> None:
    submit(platform, LEAK)
    with platform.db.transaction() as session, pytest.raises(NotFound, match="not kept"):
        platform.conversations.read_raw(session, "leak-1", actor="auditor")
    with platform.db.reader() as session:
        assert (
            count(session, "SELECT count(*) FROM audit_log WHERE action = 'conversation.raw_read'")
            == 0
        )


def test_raw_text_under_another_key_is_a_clear_error(platform: Platform, clock: FixedClock) -> None:
    job_id = submit(keeping_raw(platform, clock), LEAK).job_id
    other_key = SecretStr("A" * 43 + "=")
    settings = platform.settings.model_copy(update={"raw_text_key": other_key})
    other = wire(settings, platform.db, clock=clock, passwords=cheap_passwords())
    with other.db.transaction() as session, pytest.raises(Conflict, match="another key"):
        other.conversations.read_raw(session, "leak-1", actor="auditor")
    # Its worker cannot read it either: the item fails, saying why.
    drain(other)
    with other.db.reader() as session:
        job = other.jobs.read(session, job_id)
    assert job.status == "failed" and job.error is not None and "another key" in job.error


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("partial", "138****5678"), ("full", "*" * 11), ("tag", "【电话号码】")],
)
def test_presets(tmp_path: Path, policy: str, expected: str) -> None:
    from hegui.engine.pii import PiiDetector
    from hegui.services.masking import Masker

    masker = Masker(mask_policy(Settings(data_dir=tmp_path, mask_policy=policy)), PiiDetector())
    assert masker.turns([("agent", f"电话{PHONE}")]) == [f"电话{expected}"]


def test_policy_file_and_salt(tmp_path: Path) -> None:
    from hegui.engine.pii import PiiDetector
    from hegui.services.masking import Masker

    path = tmp_path / "policy.yaml"
    path.write_text("default: tag\ntypes:\n  phone: hash\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, mask_policy=str(path), mask_salt="s3cret")
    masked = Masker(mask_policy(settings), PiiDetector()).turns([("agent", f"电话{PHONE}")])
    assert PHONE not in masked[0] and masked[0].startswith("电话")


@pytest.mark.parametrize(
    ("fields", "variable"),
    [
        ({"mask_policy": "blur"}, "HEGUI_MASK_POLICY"),
        ({"mask_policy": "hash"}, "HEGUI_MASK_POLICY"),  # needs HEGUI_MASK_SALT
        ({"raw_text_key": "c2hvcnQ="}, "HEGUI_RAW_TEXT_KEY"),
        ({"raw_text_key": "not base64 at all!"}, "HEGUI_RAW_TEXT_KEY"),
    ],
)
def test_bad_settings_name_their_variable(
    platform: Platform, tmp_path: Path, fields: dict[str, str], variable: str
) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="k" * 40, **fields)  # type: ignore[arg-type]
    with pytest.raises(Invalid) as caught:
        wire(settings, platform.db, passwords=cheap_passwords())
    assert caught.value.field == variable
