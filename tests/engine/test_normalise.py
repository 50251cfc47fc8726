import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.engine.normalise import normalise

CASES = [
    ("這個產品保本的，您放心", "这个产品保本的您放心"),
    ("保、本", "保本"),
    ("保 本", "保本"),
    ("保嗯本", "保本"),
    ("ＡＰＰ１２３", "app123"),
    ("加我VX", "加我vx"),
    ("邮箱zhang.san＠163.com", "邮箱zhang.san@163.com"),
    ("收益百分之八", "收益8%"),
    ("一三八一二三四五六七八", "13812345678"),
    ("三个八", "888"),
    ("一会儿再说", "一会儿再说"),
    ("第一季度", "第一季度"),
    ("稍等一下", "稍等一下"),
    ("十分满意", "十分满意"),
    ("千万不要", "千万不要"),
    ("万一亏了呢", "万一亏了呢"),
    ("保本😊哦", "保本哦"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalised_text(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_span_maps_back_to_original() -> None:
    n = normalise("我的手机一三八，一二三四 五六七八哦")
    start = n.text.index("13812345678")
    a, b = n.to_original(start, start + 11)
    assert n.original[a:b] == "一三八，一二三四 五六七八"


def test_non_compact_keeps_separators() -> None:
    assert normalise("６２２２ ０２１２", compact=False).text == "6222 0212"


PLAIN = st.text(alphabet="保本收益稳赚您好，。、 !?ABCabc１２ＸYZ證券開戶嗯呃😊\t", max_size=30)
NUMERIC = st.lists(
    st.sampled_from(
        [*list("一二三四五六七八九十百千万零两幺个点保本，、 12"), "百分之", "百分百", "三个八"]
    ),
    max_size=15,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PLAIN)
def test_every_span_of_plain_text_renormalises_to_itself(text: str) -> None:
    n = normalise(text)
    for a in range(len(n.text)):
        for b in range(a + 1, len(n.text) + 1):
            start, end = n.to_original(a, b)
            assert normalise(text[start:end]).text == n.text[a:b]


@settings(max_examples=300, deadline=None)
@given(NUMERIC)
def test_offset_map_is_monotonic_and_covers_every_kept_char(text: str) -> None:
    n = normalise(text)
    spans = [n.to_original(i, i + 1) for i in range(len(n.text))]
    covered: set[int] = set()
    last = (0, 0)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert start >= last[0] and end >= last[1]
        last = (start, end)
        covered.update(range(start, end))
    dropped = [text[i] for i in range(len(text)) if i not in covered]
    assert all(normalise(ch).text == "" for ch in dropped)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(PLAIN, NUMERIC, st.just("\ue000")), max_size=8))
def test_normalising_many_equals_one_by_one(texts: list[str]) -> None:
    from hegui.engine.normalise import normalise_many

    many = normalise_many(texts)
    for text, n in zip(texts, many, strict=True):
        one = normalise(text)
        assert n.text == one.text
        assert [n.to_original(i, i + 1) for i in range(len(n.text))] == [
            one.to_original(i, i + 1) for i in range(len(one.text))
        ]
