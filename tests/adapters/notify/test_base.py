from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.adapters.notify import Notice
from hegui.adapters.notify.render import facts, markdown, plain_text, truncate_utf8
from hegui.adapters.notify.transport import encode_json

from .conftest import make_notice


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": "critical"}, "未知的严重程度 unknown severity 'critical'"),
        ({"event": "Case Created"}, "事件名无效 invalid event name"),
        ({"event": "案件.新建"}, "invalid event name"),
        ({"title": "  "}, "title 不能为空 must not be empty"),
        ({"idempotency_key": ""}, "idempotency_key 不能为空"),
    ],
)
def test_notice_rejects_bad_fields(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_notice(**change)


def test_resource_and_label() -> None:
    assert make_notice(event="case.overdue").resource == "case"
    assert make_notice(event="digest").resource == "digest"
    assert make_notice(severity="medium").severity_label == "中 medium"


def test_facts_follow_the_case_fields(notice: Notice) -> None:
    assert facts(notice)[:3] == [
        ("案件 case", "case-42"),
        ("类别 category", "compliance.guarantee_return"),
        ("规则 rule", "securities.promise.baoben"),
    ]
    assert facts(make_notice(event="digest", payload={"open": 3})) == []


def test_plain_and_markdown_lead_with_the_heading(notice: Notice) -> None:
    assert plain_text(notice).startswith(
        "[高 high] 承诺保本收益 Promised guaranteed returns\n\n坐席"
    )
    assert markdown(notice).startswith("### [高 high] 承诺保本收益")
    assert "- **团队 team**: 理财一组" in markdown(notice)


@given(st.text(), st.integers(min_value=4, max_value=300))
def test_truncate_utf8_never_splits_a_character(text: str, limit: int) -> None:
    cut = truncate_utf8(text, limit)
    if len(text.encode("utf-8")) <= limit:
        assert cut == text
    else:
        assert len(cut.encode("utf-8")) <= limit
        assert cut.endswith("…") and text.startswith(cut[:-1])


def test_truncate_utf8_keeps_whole_chinese_characters() -> None:
    assert truncate_utf8("保本保本", 9) == "保本…"  # 6 bytes of text + 3 of the ellipsis
    assert truncate_utf8("保本", 6) == "保本"


def test_json_keeps_chinese_and_writes_datetimes_as_iso() -> None:
    raw = encode_json({"text": "保本", "at": datetime(2024, 6, 11, 1, 30, tzinfo=UTC)})
    assert raw == '{"text":"保本","at":"2024-06-11T01:30:00+00:00"}'.encode()
