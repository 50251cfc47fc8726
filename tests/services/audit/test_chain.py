"""The hash chain on plain records: the format auditors re-implement, and what it catches."""

from __future__ import annotations

import hashlib
import json

import pytest

from hegui.services.audit.chain import GENESIS, entry_hash, verify_jsonl, verify_records


def chain(n: int) -> list[dict[str, object]]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        record: dict[str, object] = {
            "seq": seq,
            "at": f"2025-01-06T09:00:0{seq}.000000Z",
            "actor": "admin",
            "action": "user.create",
            "object_type": "user",
            "object_id": str(seq),
            "details": {"username": f"用户{seq}", "n": 1.5},
            "prev_hash": prev,
        }
        record["hash"] = prev = entry_hash(record)
        records.append(record)
    return records


def test_hash_is_sha256_of_the_documented_canonical_json() -> None:
    record = chain(1)[0]
    text = (
        '{"action":"user.create","actor":"admin","at":"2025-01-06T09:00:01.000000Z",'
        '"details":{"n":1.5,"username":"用户1"},"object_id":"1","object_type":"user",'
        f'"prev_hash":"{GENESIS}","seq":1}}'
    )
    assert record["hash"] == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_intact_chain() -> None:
    records = chain(4)
    report = verify_records(records, (4, str(records[-1]["hash"])))
    assert report.ok and report.entries == 4 and report.head_seq == 4
    assert verify_records([]).ok


@pytest.mark.parametrize(
    ("tamper", "seq", "words"),
    [
        (lambda r: r[2]["details"].update(n=2), 3, "entry #3 was altered"),  # type: ignore[union-attr]
        (lambda r: r[2].update(actor="mallory"), 3, "entry #3 was altered"),
        (lambda r: r[2].update(hash="f" * 64), 3, "entry #3 was altered"),
        (lambda r: r.pop(2), 3, "entry #3 was removed"),
        (lambda r: r.pop(0), 1, "entry #1 was removed"),
        (lambda r: r.pop(), 4, "from #4 on were removed"),
        (lambda r: r.insert(1, dict(r[1])), 3, "has seq 2"),
        (lambda r: r[0].update(prev_hash="1" * 64), 1, "entry #1 was altered"),
    ],
)
def test_first_altered_or_removed_entry_is_named(tamper: object, seq: int, words: str) -> None:
    records = chain(4)
    head = (4, str(records[-1]["hash"]))
    tamper(records)  # type: ignore[operator]
    report = verify_records(records, head)
    assert not report.ok
    assert report.problem_seq == seq and words in str(report.problem)


def test_rewritten_entry_with_a_fresh_hash_is_named() -> None:
    records = chain(4)
    head = (4, str(records[-1]["hash"]))
    records[1]["actor"] = "mallory"
    records[1]["hash"] = entry_hash(records[1])  # consistent on its own, not with #3
    report = verify_records(records, head)
    assert report.problem_seq == 2 and "entry #2 was replaced" in str(report.problem)


def test_whole_rewritten_tail_is_caught_by_the_head() -> None:
    records = chain(4)
    head = (4, str(records[-1]["hash"]))
    records[3]["actor"] = "mallory"
    records[3]["hash"] = entry_hash(records[3])
    report = verify_records(records, head)
    assert report.problem_seq == 4 and "altered or replaced" in str(report.problem)


def test_entries_beyond_the_head_are_reported() -> None:
    records = chain(4)
    report = verify_records(records, (3, str(records[2]["hash"])))
    assert report.problem_seq == 4 and "not recorded by the chain head" in str(report.problem)


def test_verify_export_lines() -> None:
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in chain(3)]
    assert verify_jsonl(lines).ok
    assert verify_jsonl([*lines, "\n"]).entries == 3
    report = verify_jsonl([lines[0], "{not json\n", lines[2]])
    assert not report.ok and "line 2 is not JSON" in str(report.problem)
    assert "line 1 is not an object" in str(verify_jsonl(["[1]\n"]).problem)
    assert "missing or invalid fields" in str(verify_jsonl(['{"seq": 1}\n']).problem)
