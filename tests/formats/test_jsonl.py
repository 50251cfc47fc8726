from __future__ import annotations

import json

from hegui.engine.model import Finding
from hegui.formats.jsonl import LineError, finding_json, read_conversations

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
