"""The hash chain itself, on plain records: the same code checks the database and an export.

An entry's hash is SHA-256 over the UTF-8 of the JSON object of its fields `seq`, `at`,
`actor`, `action`, `object_type`, `object_id`, `details` and `prev_hash`, keys sorted,
no spaces (`separators=(",", ":")`), non-ASCII kept (`ensure_ascii=False`). `at` is UTC,
`YYYY-MM-DDTHH:MM:SS.ffffffZ`. The first entry's `prev_hash` is 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "details",
    "prev_hash",
)


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(record: Mapping[str, object]) -> bytes:
    fields = {name: record[name] for name in HASHED_FIELDS}
    text = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def entry_hash(record: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: `problem` is None when the chain is intact."""

    entries: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    problem_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_records(
    records: Iterable[Mapping[str, object]], head: tuple[int, str] | None = None
) -> ChainReport:
    """Walk the chain in seq order; stop at the first entry altered or removed."""
    count, last_seq, last_hash = 0, 0, GENESIS
    for record in records:
        problem = _check(record, last_seq, last_hash)
        if problem is not None:
            return ChainReport(count, last_seq, last_hash, problem[1], problem[0])
        count, last_seq, last_hash = count + 1, last_seq + 1, str(record["hash"])
    if head is not None:
        problem = _check_head(head, last_seq, last_hash)
        if problem is not None:
            return ChainReport(count, last_seq, last_hash, problem[1], problem[0])
    return ChainReport(count, last_seq, last_hash)


def _check(record: Mapping[str, object], last_seq: int, last_hash: str) -> tuple[int, str] | None:
    expected = last_seq + 1
    seq = record.get("seq")
    if not isinstance(seq, int) or seq < expected:
        return expected, f"第 {expected} 条之后序号错乱 entry after #{last_seq} has seq {seq!r}"
    if seq > expected:
        return expected, f"第 {expected} 条已被删除 entry #{expected} was removed"
    try:
        recomputed = entry_hash(record)
    except (KeyError, TypeError, ValueError):
        return seq, f"第 {seq} 条字段缺失或无效 entry #{seq} has missing or invalid fields"
    if record.get("hash") != recomputed:
        return seq, f"第 {seq} 条已被篡改 entry #{seq} was altered (its hash does not match)"
    if record["prev_hash"] != last_hash:
        if last_seq == 0:
            return seq, f"第 {seq} 条链首被篡改 entry #{seq} was altered (it is not the first)"
        # The entry before re-hashes fine on its own: it was rewritten with a fresh hash.
        return last_seq, (
            f"第 {last_seq} 条已被替换 entry #{last_seq} was replaced: "
            f"entry #{seq} does not follow it"
        )
    return None


def _check_head(head: tuple[int, str], last_seq: int, last_hash: str) -> tuple[int, str] | None:
    head_seq, head_hash = head
    if head_seq > last_seq:
        return last_seq + 1, (
            f"第 {last_seq + 1} 条起已被删除 entries from #{last_seq + 1} on were removed "
            f"(the chain head records #{head_seq})"
        )
    if head_seq < last_seq:
        return head_seq + 1, (
            f"第 {head_seq + 1} 条起不在链头记录中 entries from #{head_seq + 1} on are not "
            f"recorded by the chain head (inserted, or the head was rolled back)"
        )
    if head_hash != last_hash:
        return last_seq, f"第 {last_seq} 条已被替换 entry #{last_seq} was altered or replaced"
    return None


def verify_jsonl(lines: Iterable[str]) -> ChainReport:
    """Verify an export (`hegui audit export`) offline; a malformed line is a problem too."""
    bad: list[tuple[int, str]] = []

    def records() -> Iterable[Mapping[str, object]]:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                bad.append((number, f"第 {number} 行不是 JSON line {number} is not JSON: {exc}"))
                return
            if not isinstance(record, dict):
                bad.append((number, f"第 {number} 行不是对象 line {number} is not an object"))
                return
            yield record

    report = verify_records(records())
    if bad and report.ok:
        return ChainReport(report.entries, report.head_seq, report.head_hash, bad[0][1])
    return report
