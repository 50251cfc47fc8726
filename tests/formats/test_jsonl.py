from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from hegui.engine.model import Conversation, Finding
from hegui.formats.jsonl import (
    FormatError,
    IdSet,
    LineError,
    finding_json,
    finding_line,
    parse_line,
    read_conversations,
)

GOOD = {
    "id": "c1",
    "channel": "phone",
    "industry": "securities",
    "agent": {"id": "A1"},
    "metadata": {"product_risk": "R3"},
    "utterances": [
        {"role": "agent", "text": "您好", "start": 0.0, "end": 1.0},
        {"role": "customer", "text": "在吗", "at": "2026-11-01T10:00:00+08:00"},
    ],
}


def test_reads_good_lines_and_reports_bad_ones_with_line_and_field() -> None:
    bad_role = dict(GOOD, id="c2", utterances=[{"role": "robot", "text": "x"}])
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        "",
        "{not json",
        json.dumps(bad_role),
        json.dumps({"utterances": []}),
        json.dumps(
            dict(GOOD, id="c3", utterances=[{"role": "agent", "text": "x", "start": 2, "end": 1}])
        ),
        json.dumps(GOOD),
        json.dumps({"id": "c4", "utterances": []}),
    ]
    items = list(read_conversations(lines, "calls.jsonl"))
    errors = [i for i in items if isinstance(i, LineError)]
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (3, "JSON 解析失败 invalid JSON"),
        (4, "utterances[0].role"),
        (5, "id"),
        (6, "utterances[0].end"),
        (7, "id"),
    ]
    assert str(errors[0]).startswith("calls.jsonl:3:")
    good = [i for i in items if not isinstance(i, LineError)]
    assert [c.id for c in good] == ["c1", "c4"]
    assert good[0].extra == {"agent": {"id": "A1"}}
    assert good[0].utterances[1].at is not None
    assert good[1].channel == "chat"


def test_finding_output_matches_the_contract() -> None:
    f = Finding(
        "c1",
        "compliance.guarantee_return",
        "r.x",
        3,
        "high",
        "坐席承诺保本",
        5,
        "agent",
        (4, 6),
        "这个产品保本的，您放心",
        21.3,
        24.0,
    )
    out = json.loads(finding_json(f))
    assert list(out)[:12] == [
        "conversation_id",
        "category",
        "rule_id",
        "rule_version",
        "severity",
        "utterance_index",
        "role",
        "span",
        "evidence",
        "message",
        "start",
        "end",
    ]
    assert out["span"] == [4, 6] and out["evidence"][4:6] == "保本"
    missing = json.loads(
        finding_json(
            Finding("c1", "compliance.missing_risk_disclosure", "r.y", 1, "high", "未提示")
        )
    )
    assert missing["utterance_index"] is None and missing["span"] is None


def line(**fields: object) -> str:
    obj = {"id": "c", "utterances": [{"role": "agent", "text": "x"}]}
    obj.update(fields)
    return json.dumps(obj, ensure_ascii=False)


def utt_line(**fields: object) -> str:
    return line(utterances=[{"role": "agent", "text": "x", **fields}])


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        (
            '{"id": "a", "utterances": [{"role": "agent", "text": "hi \\ud83d"}]}',
            "utterances[0].text",
            "lone surrogate \\ud83d",
        ),
        (
            '{"id": "a", "metadata": {"k\\udc00": 1}, "utterances": []}',
            "metadata.k\udc00",
            "lone surrogate",
        ),
        ('{"id": "\\udfff", "utterances": []}', "id", "lone surrogate"),
        ("[" * 10_000 + "]" * 10_000, None, "嵌套过深 nested too deeply"),
        ('{"id": "a", "utterances": [], "n": ' + "1" * 5000 + "}", None, "整数位数过多"),
        (utt_line(start=1).replace("1}", "1e400}"), "utterances[0].start", "finite"),
        (utt_line(end=1).replace("1}", "NaN}"), None, "NaN"),
        (utt_line(end=1).replace("1}", "-Infinity}"), None, "-Infinity"),
        (utt_line(start=10**4000), "utterances[0].start", "finite"),
        (utt_line(start=-0.5), "utterances[0].start", "≥ 0"),
        (utt_line(start=3, end=2), "utterances[0].end", "before start"),
        (utt_line(start="3"), "utterances[0].start", "seconds"),
        (utt_line(at=1700000000), "utterances[0].at", "ISO-8601"),
        (utt_line(at="yesterday"), "utterances[0].at", "ISO-8601"),
        (line(started_at="2026-13-01T00:00:00"), "started_at", "ISO-8601"),
        (line(started_at=20261101), "started_at", "ISO-8601"),
        (line(channel="fax"), "channel", "unknown channel"),
        ('"just a string"', None, "JSON 对象"),
    ],
)
def test_each_bad_line_is_one_error_naming_its_field(
    text: str, field: str | None, says: str
) -> None:
    with pytest.raises(FormatError) as caught:
        parse_line(text.encode("utf-8", "surrogatepass"))
    assert caught.value.field == field
    assert says in str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value)), "Chinese first"


def test_invalid_utf8_spoils_its_line_only() -> None:
    good = line().encode()
    items = list(
        read_conversations([good, b'{"id": "b\xff", "utterances": []}', line(id="d").encode()])
    )
    assert isinstance(items[1], LineError) and "UTF-8" in items[1].message
    assert [i.id for i in items if isinstance(i, Conversation)] == ["c", "d"]


def test_escaped_surrogate_pairs_and_escaped_backslashes_are_fine() -> None:
    conv = parse_line(
        b'{"id": "a", "utterances": [{"role": "agent", "text": "\\ud83d\\ude00 \\\\ud83d"}]}'
    )
    assert conv is not None and conv.utterances[0].text == "😀 \\ud83d"


def test_lone_surrogate_in_a_finding_still_writes_valid_utf8_json() -> None:
    f = Finding(
        "c\ud83d", "compliance.exaggeration", "r", 1, "low", "m", 0, "agent", (0, 1), "\udc00x"
    )
    text = finding_json(f)
    text.encode("utf-8")
    assert json.loads(text)["conversation_id"] == "c\ud83d"
    assert finding_line(f).endswith(b"\n")


def test_started_at_is_parsed_and_unknown_fields_kept() -> None:
    conv = parse_line(line(started_at="2026-11-01T09:30:00+09:00", agent={"id": "A"}, x=[1]))
    assert conv is not None
    assert conv.started_at == datetime(2026, 11, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert conv.extra == {"agent": {"id": "A"}, "x": [1]}


def test_null_channel_and_metadata_mean_the_defaults() -> None:
    conv = parse_line(line(channel=None, metadata=None))
    assert conv is not None and conv.channel == "chat" and conv.metadata == {}


def test_blank_lines_are_not_conversations() -> None:
    assert parse_line(b" \t\r") is None
    assert parse_line("") is None


def test_id_set_remembers_digests_not_ids() -> None:
    ids = IdSet()
    assert ids.add("x" * 1_000_000) and not ids.add("x" * 1_000_000) and ids.add("y")
