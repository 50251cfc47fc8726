"""Masked forms are recognised by scan_masked and never reported by scan."""

from __future__ import annotations

import pytest

from hegui.engine.pii import PiiDetector

DETECTOR = PiiDetector()

MASKED = [
    ("尾号1234", "bank_card", "尾号1234"),
    ("您手机尾号5678的号码", "phone", "尾号5678"),
    ("手机138****5678", "phone", "138****5678"),
    ("卡号6222 **** **** 1234", "bank_card", "6222 **** **** 1234"),
    ("6222***********1234", "bank_card", "6222***********1234"),
    ("身份证110105********1239", "id_number", "110105********1239"),
    ("138××××5678", "phone", "138××××5678"),
    ("138xxxx5678", "phone", "138xxxx5678"),
    ("邮箱z***@163.com", "email", "z***@163.com"),
    ("户名张**", "person_name", "张**"),
    ("卡号后四位是幺二三四", "bank_card", "后四位是幺二三四"),
]


@pytest.mark.parametrize(("text", "kind", "span"), MASKED)
def test_masked_forms_are_recognised(text: str, kind: str, span: str) -> None:
    masked = DETECTOR.scan_masked(text)
    assert [(e.type, e.text) for e in masked] == [(kind, span)]
    assert text[masked[0].start : masked[0].end] == span


@pytest.mark.parametrize(("text", "kind", "span"), MASKED)
def test_masked_forms_are_not_leaks(text: str, kind: str, span: str) -> None:
    assert DETECTOR.scan(text) == []


def test_unmasked_number_beside_a_masked_one() -> None:
    text = "尾号1234的卡，手机13812345678"
    assert [e.text for e in DETECTOR.scan(text)] == ["13812345678"]
    assert [e.text for e in DETECTOR.scan_masked(text)] == ["尾号1234"]
