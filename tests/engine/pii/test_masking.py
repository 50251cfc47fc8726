"""Masking operators, policies and the offset guarantees of mask()."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.engine.pii import (
    FormatPreserving,
    FullMask,
    MaskPolicy,
    PartialMask,
    PiiDetector,
    PiiEntity,
    SaltedHash,
    TypeTag,
    keep_last,
    mask,
    mask_text,
    scan_turns,
)
from hegui.engine.pii.validators import id18_score, luhn_valid

DETECTOR = PiiDetector()
ID = "110105199003071239"
CARD = "6222021234567890128"


def entity(text: str, part: str, kind: str) -> PiiEntity:
    start = text.index(part)
    return PiiEntity(kind, start, start + len(part), part, 0.9)


@pytest.mark.parametrize(
    ("operator", "value", "kind", "expected"),
    [
        (FullMask(), "138 1234 5678", "phone", "*** **** ****"),
        (keep_last(4), "6222 0212 3456 7890 128", "bank_card", "**** **** **** ***0 128"),
        (PartialMask(3, 4), "13812345678", "phone", "138****5678"),
        (PartialMask(1, 0), "张三", "person_name", "张*"),
        (keep_last(4), "123", "phone", "***"),
        (TypeTag(), ID, "id_number", "【身份证号】"),
        (TypeTag("<{type}>"), ID, "id_number", "<id_number>"),
    ],
)
def test_operators(operator: object, value: str, kind: str, expected: str) -> None:
    assert operator.apply(PiiEntity(kind, 0, len(value), value, 1.0)) == expected  # type: ignore[attr-defined]


def test_salted_hash_is_stable_and_joins_written_and_spoken_forms() -> None:
    op = SaltedHash("s3cret")
    written = op.apply(PiiEntity("phone", 0, 11, "13812345678", 1.0))
    spoken = op.apply(PiiEntity("phone", 0, 11, "幺三八一二三四五六七八", 1.0))
    assert written == spoken
    assert written.startswith("【电话号码#") and "138" not in written
    assert SaltedHash("other").apply(PiiEntity("phone", 0, 11, "13812345678", 1.0)) != written


def test_format_preserving_keeps_shape_and_validity() -> None:
    op = FormatPreserving("k")
    grouped = op.apply(PiiEntity("bank_card", 0, 23, "6222 0212 3456 7890 128", 1.0))
    assert [c == " " for c in grouped] == [c == " " for c in "6222 0212 3456 7890 128"]
    assert grouped != "6222 0212 3456 7890 128"
    assert luhn_valid(grouped.replace(" ", ""))
    pseudo_id = op.apply(PiiEntity("id_number", 0, 18, ID, 1.0))
    assert pseudo_id != ID and id18_score(pseudo_id) > 0
    assert op.apply(PiiEntity("id_number", 0, 18, ID, 1.0)) == pseudo_id  # deterministic
    spoken = op.apply(PiiEntity("phone", 0, 4, "幺三八一", 1.0))
    assert len(spoken) == 4 and all(c in "零一二三四五六七八九" for c in spoken)


def test_mask_text_with_policy() -> None:
    text = f"手机13812345678，身份证{ID}"
    policy = MaskPolicy(TypeTag(), {"phone": PartialMask(3, 4)})
    assert mask_text(text, DETECTOR.scan(text), policy) == "手机138****5678，身份证【身份证号】"


def test_mask_rejects_entities_that_do_not_match_the_text() -> None:
    with pytest.raises(ValueError):
        mask_text("abc", [PiiEntity("phone", 0, 2, "xy", 1.0)], MaskPolicy())


def test_overlapping_entities_are_masked_once() -> None:
    text = "abcdef"
    entities = [PiiEntity("phone", 0, 4, "abcd", 1.0), PiiEntity("email", 2, 6, "cdef", 1.0)]
    assert mask_text(text, entities, MaskPolicy(FullMask())) == "******"


@pytest.mark.parametrize("name", ["tag", "full", "partial", "hash", "fpe"])
def test_presets_hide_the_number(name: str) -> None:
    text = f"卡号{CARD}"
    masked = mask_text(text, DETECTOR.scan(text), MaskPolicy.preset(name, salt="k"))
    assert CARD not in masked and masked.startswith("卡号")


def test_policy_from_mapping() -> None:
    policy = MaskPolicy.from_mapping(
        {"default": "full", "types": {"phone": {"op": "partial", "first": 3, "last": 4}}}
    )
    assert mask_text("13812345678", DETECTOR.scan("13812345678"), policy) == "138****5678"
    with pytest.raises(ValueError):
        MaskPolicy.from_mapping({"types": {"nope": "tag"}})
    with pytest.raises(ValueError):
        MaskPolicy.from_mapping({"default": "shred"})


def test_map_span_moves_other_findings_correctly() -> None:
    text = "您好，手机13812345678，这个产品保本"
    result = mask(text, DETECTOR.scan(text), MaskPolicy())
    start = text.index("保本")
    s, e = result.map_span(start, start + 2)
    assert result.text[s:e] == "保本"
    p = text.index("13812345678")
    assert result.map_span(p + 2, p + 5) == (5, 5 + len("【电话号码】"))


PIECES = st.lists(
    st.tuples(
        st.text(alphabet="保本收益您好，。ab ", max_size=6),
        st.sampled_from(["", ID, CARD, "13812345678"]),
    ),
    max_size=5,
)


@given(PIECES, st.sampled_from(["tag", "full", "partial", "hash", "fpe"]))
def test_masking_never_corrupts_offsets_of_unmasked_text(
    pieces: list[tuple[str, str]], preset: str
) -> None:
    text = "".join(a + b for a, b in pieces)
    entities = DETECTOR.scan(text)
    result = mask(text, entities, MaskPolicy.preset(preset, salt="k"))
    covered = {i for e in entities for i in range(e.start, e.end)}
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 6) + 1):
            if covered.isdisjoint(range(start, end)):
                s, e = result.map_span(start, end)
                assert result.text[s:e] == text[start:end]
    for e in entities:
        s, t = result.map_span(e.start, e.end)
        assert result.text[s:t] == MaskPolicy.preset(preset, salt="k").operator_for(e.type).apply(e)


NOISY = st.text(
    alphabet="0123456789一二三四五六七八九零幺两个叉Xx*@.-，。 ：卡号身份证手机路号栋单元先生",
    max_size=40,
)


@given(NOISY)
def test_scan_offsets_always_slice_the_original(text: str) -> None:
    for entity in [*DETECTOR.scan(text), *DETECTOR.scan_masked(text)]:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text


@given(st.text(alphabet="幺三八一二四五六七零", min_size=11, max_size=11), st.integers(1, 10))
def test_a_number_split_over_two_turns_is_masked_piece_by_piece(number: str, cut: int) -> None:
    turns = [("customer", "手机" + number[:cut]), ("customer", number[cut:] + "对")]
    joined = DETECTOR.scan("".join(t for _, t in turns))
    pieces = scan_turns(DETECTOR, turns)
    if [e.type for e in joined] == ["phone"]:
        assert "".join(e.text for p in pieces for e in p) == joined[0].text
