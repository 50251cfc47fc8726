"""Every stage of the PII scan is linear in the length of the text: 1 MB utterances of
adversarial shapes finish well within a generous bound. A quadratic stage takes minutes
here (80 KB of digit groups took 11 s before the stages were bounded; 1 MB about 30 min).
Throughput figures are in benchmarks/pii_throughput.py, not here."""

from __future__ import annotations

import time

import pytest

from hegui.engine.pii import MaskPolicy, PiiDetector, TurnScan, mask

DETECTOR = PiiDetector()
MB = 1_000_000
BOUND_S = 30.0  # CPU seconds; quadratic stages took minutes for 20 KB

SHAPES = {
    "digit groups": "1234 5678 ",
    "digits one by one": "1-2-3-4-",
    "digits and commas": "1，2，3，",
    "spoken numerals": "一二三四五六七八九零",
    "spoken numerals in groups": "幺三八 一二三四 ",
    "id markers": "身份证号",
    "id markers and numbers": "身份证号110105199003071239，",
    "letters": "abcdefghij",
    "email-like": "a.b.c@d.",
    "spoken email words": "ab at cd dot ",
    "addresses": "北京市朝阳区建国路88号",
    "street suffixes": "路",
    "names": "我叫王明先生",
    "masked numbers": "138****5678 ",
    "stars": "*",
    "tails": "尾号1234",
    "international phones": "+852 9123 4567 ",
    "plus and digits": "+12345678",
    "country codes without plus": "852-9123-4567，",
    "hong kong numbers after a word": "香港电话9123 4567，",
    "amex groups": "3782 822463 10005 ",
    "ipv6": "2001:db8::1 ",
    "hex and colons": "a:b:",
    "times": "12:30:45 ",
    "unicode emails": "张三@例子.中国",
    "at signs after chinese": "邮箱是张三@",
    "unicode domain labels": "@例子.例子.例子.例子.例子.例子.例子.例子.例子.例子",
    # 3.2万 is read whole (numerals._SCALED): bounded and anchored, so a long run before a
    # scale costs no more than the run
    "digit groups and a scaled decimal": "1234 5678 1234 5678 1234 5678 3.2万 ",
    "a long run before a scale": "1" * 97 + ".5万",
    "balance words and figures": "余额3.2万 卡里还剩八千六百多 可用资金5000元，",
}


def repeated(unit: str, size: int = MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_one_megabyte_utterance_scans_in_bounded_time(shape: str) -> None:
    text = repeated(SHAPES[shape])
    started = time.thread_time()
    found = DETECTOR.scan(text)
    masked = DETECTOR.scan_masked(text)
    elapsed = time.thread_time() - started
    assert elapsed < BOUND_S, f"{shape}: {elapsed:.1f} s for 1 MB"
    for entity in [*found, *masked]:
        assert text[entity.start : entity.end] == entity.text


def test_a_long_number_read_digit_by_digit_is_still_found() -> None:
    # The bounded stages must not lose what they bound: an ID said one digit at a time.
    text = "身份证号" + " ".join("110105199003071239") + "对吧"
    [entity] = DETECTOR.scan(text)
    assert entity.type == "id_number" and entity.text == " ".join("110105199003071239")


def test_many_turns_and_megabyte_turns_mask_in_bounded_time() -> None:
    # Cross-turn entities are looked for in a bounded window of turns, and only at the
    # edges of long turns: the cost grows with the conversation, not with its square.
    turns = [("customer", "我的号码是幺三八"), ("customer", "一二三四"), ("customer", "五六七八")]
    conversation = turns * 5000 + [
        ("agent", repeated("1234 5678 ")),
        ("agent", repeated("幺三八 ")),
    ]
    started = time.thread_time()
    table = TurnScan(DETECTOR, conversation)
    masked = [
        mask(text, table.entities(i), MaskPolicy()) for i, (_, text) in enumerate(conversation)
    ]
    elapsed = time.thread_time() - started
    assert elapsed < 2 * BOUND_S, f"{elapsed:.1f} s for 15,000 short turns and 2 MB ones"
    assert [m.text for m in masked[:3]] == [
        "我的号码是【电话号码】",
        "【电话号码】",
        "【电话号码】",
    ]
