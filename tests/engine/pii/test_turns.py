"""TurnScan: entities spoken across turns, names that must not cross a turn, and reuse of
scans a caller already has (no second scan)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.engine.model import Finding
from hegui.engine.pii import (
    CrossTurnEntity,
    FormatPreserving,
    KeepLast,
    MaskPolicy,
    PartialMask,
    PiiDetector,
    PiiEntity,
    TurnScan,
    mask,
    mask_findings,
    scan_turns,
)

DETECTOR = PiiDetector()
PARTIAL = MaskPolicy.preset("partial")


def masked_turns(turns: list[tuple[str, str]], policy: MaskPolicy = PARTIAL) -> list[str]:
    table = TurnScan(DETECTOR, turns)
    return [mask(text, table.entities(i), policy).text for i, (_, text) in enumerate(turns)]


def test_a_name_ending_a_turn_does_not_take_the_next_turn_s_first_char() -> None:
    # The reported bug: "我叫王明" + "银行卡丢了" gave "*行卡丢了" (a name 王明银).
    turns = [("customer", "我叫王明"), ("customer", "银行卡丢了")]
    assert masked_turns(turns) == ["我叫王*", "银行卡丢了"]
    assert all(
        c.type != "person_name" for i in range(2) for c in TurnScan(DETECTOR, turns).crossing(i)
    )


def test_a_number_over_three_turns_is_one_entity_in_three_pieces() -> None:
    turns = [("agent", "您的号码是幺三八"), ("agent", "一二三四"), ("agent", "五六七八对吧")]
    table = TurnScan(DETECTOR, turns)
    [entity] = table.crossing(1)
    assert isinstance(entity, CrossTurnEntity)
    assert (entity.type, entity.turns, entity.text) == (
        "phone",
        (0, 1, 2),
        "幺三八一二三四五六七八",
    )
    for index, piece in entity.parts:
        assert turns[index][1][piece.start : piece.end] == piece.text
    # Each piece is masked on its own: too short to keep any digit visible.
    assert masked_turns(turns) == ["您的号码是***", "****", "****对吧"]


def test_the_better_of_two_overlapping_cross_turn_readings_wins() -> None:
    # 转到 6217 9948 / 1935 6076 914 is a card; the second turn alone reads as a mobile.
    turns = [("customer", "转到62179948"), ("customer", "19356076914这张卡")]
    [first], [second] = scan_turns(DETECTOR, turns)
    assert (first.type, second.type) == ("bank_card", "bank_card")


def test_live_turns_complete_an_entity_that_reaches_back() -> None:
    table = TurnScan(DETECTOR)
    table.append("customer", "我的号码是幺三八")
    table.append("customer", "一二三四")
    assert table.entities(0) == []
    table.append("customer", "五六七八")
    assert [e.text for e in table.entities(0)] == ["幺三八"]
    table.append("agent", "好的")
    assert table.entities(3) == []


def test_given_scans_are_used_instead_of_scanning_again() -> None:
    # The detector finds nothing in "好的"; the caller's (made-up) entity is what is masked.
    given_entity = PiiEntity("person_name", 0, 2, "好的", 0.9)
    turns = [("agent", "好的"), ("customer", "嗯")]
    table = TurnScan(DETECTOR, turns, scans=[[given_entity], None])
    assert table.own(0) == [given_entity] and table.own(1) == []
    finding = Finding(
        conversation_id="c",
        rule_id="r",
        rule_version=1,
        category="privacy.other_pii",
        severity="high",
        utterance_index=0,
        span=(0, 2),
        evidence="好的",
        matched="好的",
        message="m",
    )
    [out] = mask_findings(turns, [finding], DETECTOR, PARTIAL, scans=[[given_entity], None])
    assert out.evidence == out.matched == "好*"
    [same] = mask_findings(turns, [finding], DETECTOR, PARTIAL, scans=table)
    assert same == out


def test_old_signatures_still_work() -> None:
    turns = [("customer", "手机13812345678"), ("customer", "对")]
    assert [[e.text for e in f] for f in scan_turns(DETECTOR, turns)] == [["13812345678"], []]


TURN_TEXT = st.lists(
    st.sampled_from(
        [
            "我叫",
            "王明",
            "张三",
            "先生",
            "银行卡",
            "丢了",
            "手机",
            "幺三八",
            "一二三四",
            "五六七八",
            "138",
            "1234",
            "5678",
            "，",
            "。",
            " ",
            "-",
            "身份证",
            "110105",
            "19900307",
            "1239",
            "北京市",
            "建国路",
            "88号",
            "zhang",
            "@163.com",
            "艾特",
            "好的",
        ]
    ),
    max_size=6,
).map("".join)
TURNS = st.lists(st.tuples(st.sampled_from(["agent", "customer"]), TURN_TEXT), max_size=6)
POLICIES = {name: MaskPolicy.preset(name, salt="k") for name in ("tag", "full", "partial", "hash")}
POLICIES |= {  # operators that keep the length, for every type
    "keep last 4": MaskPolicy(KeepLast(4)),
    "138****5678": MaskPolicy(PartialMask(3, 4)),
    "format-preserving": MaskPolicy(FormatPreserving("k")),
}
LENGTH_KEEPING = {"full", "keep last 4", "138****5678", "format-preserving"}


@settings(max_examples=150, deadline=None)
@given(TURNS, st.sampled_from(sorted(POLICIES)))
def test_masking_changes_only_reported_entity_chars(
    turns: list[tuple[str, str]], preset: str
) -> None:
    policy = POLICIES[preset]
    table = TurnScan(DETECTOR, turns)
    for index, (_, text) in enumerate(turns):
        entities = table.entities(index)
        for e in entities:
            assert text[e.start : e.end] == e.text  # pieces are exactly this turn's chars
        result = mask(text, entities, policy)
        inside = {i for e in entities for i in range(e.start, e.end)}
        for start, end in _outside_runs(len(text), inside):
            s, t = result.map_span(start, end)
            assert result.text[s:t] == text[start:end]
        if preset in LENGTH_KEEPING:
            assert len(result.text) == len(text)
            assert all(result.text[i] == c for i, c in enumerate(text) if i not in inside)
        for crossing in table.crossing(index):
            assert crossing.type != "person_name"
            assert crossing.text == "".join(turns[i][1][p.start : p.end] for i, p in crossing.parts)


def _outside_runs(size: int, inside: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(size + 1):
        if i < size and i not in inside:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def test_the_other_party_s_backchannel_does_not_break_a_number_read_in_two_halves() -> None:
    # An agent reads an ID number in two halves; the customer's "嗯" sits between them.
    turns = [
        ("agent", "身份证号 四二零幺零六 一九八五"),
        ("customer", "嗯"),
        ("agent", "零七二三 四八二X 是吧"),
    ]
    table = TurnScan(DETECTOR, turns)
    [entity] = table.crossing(2)
    assert (entity.type, entity.turns) == ("id_number", (0, 2))
    assert entity.text == "四二零幺零六 一九八五零七二三 四八二X"
    assert table.crossing(1) == []
    masked = masked_turns(turns, MaskPolicy.preset("full"))
    assert masked[1] == "嗯" and "一九八五" not in masked[0] and "四八二" not in masked[2]
    # Two short acknowledgements in a row still leave the run unbroken.
    two = [turns[0], ("customer", "嗯"), ("customer", "对 是我"), turns[2]]
    assert TurnScan(DETECTOR, two).crossing(3)[0].turns == (0, 3)
    # A short request to slow down is no reply either.
    slow = [turns[0], ("customer", "你说慢点 我记一下"), turns[2]]
    assert TurnScan(DETECTOR, slow).crossing(2)[0].turns == (0, 2)


def test_a_real_reply_or_a_reply_with_numbers_breaks_the_run() -> None:
    first, second = ("agent", "身份证号 四二零幺零六 一九八五"), ("agent", "零七二三 四八二X 是吧")
    for reply in ("不对吧 我记得不是这个号 您再查一下", "一九八五对的", "嗯", "嗯", "嗯"):
        turns = [first, ("customer", reply), second]
        crossing = TurnScan(DETECTOR, turns).crossing(2)
        assert (crossing != []) == (reply == "嗯"), reply
    # Three backchannels in a row: too far apart.
    far = [first, ("customer", "嗯"), ("customer", "嗯"), ("customer", "嗯"), second]
    assert TurnScan(DETECTOR, far).crossing(4) == []


def test_a_second_half_opening_with_the_rest_is_still_joins_and_keeps_those_words() -> None:
    # "后面是" / "接下来是" between the halves is read as a pause; the piece in the second
    # turn starts at the digits, so masking leaves the words.
    for opener in ("后面是", "嗯 后面是", "接下来是 ", "剩下的是："):
        turns = [
            ("agent", "收款卡号是六二一七 八八零八"),
            ("customer", "嗯 对"),
            ("agent", f"{opener}零零三二 五五六七 九一二 是这个卡吧"),
        ]
        [entity] = TurnScan(DETECTOR, turns).crossing(2)
        assert (entity.type, entity.turns) == ("bank_card", (0, 2)), opener
        assert entity.parts[1][1].text == "零零三二 五五六七 九一二", opener
        assert masked_turns(turns, MaskPolicy.preset("full"))[2].startswith(opener), opener
    # Words after a turn that does not end in a number are left alone; so is "后面是" that
    # is followed by words.
    assert (
        TurnScan(
            DETECTOR,
            [
                ("agent", "卡号我查到了"),
                ("agent", "后面是六二一七 八八零八 零零三二 五五六七 九一二"),
            ],
        ).crossing(1)
        == []
    )
    plain = [("agent", "卡号是六二一七 八八零八"), ("agent", "后面是您的姓名 张三")]
    assert TurnScan(DETECTOR, plain).crossing(1) == []
    # "然后" / "接下来" before fewer than three numerals is no number going on
    for words in ("然后一个验证码发到您手机", "接下来两个工作日到账", "然后8点前还上"):
        turns = [("agent", "号码是一三八 一二三四 五六七"), ("customer", "嗯"), ("agent", words)]
        assert TurnScan(DETECTOR, turns).crossing(2) == [], words


def test_live_appends_find_the_number_once_its_second_half_arrives() -> None:
    table = TurnScan(DETECTOR)
    table.append("agent", "卡号 六二一四 八三五")
    table.append("customer", "对 是我爸")
    assert table.crossing(0) == []
    table.append("agent", "六二零零 三三幺 九九八二 这张是吧")
    [entity] = table.crossing(0)
    assert (entity.type, entity.turns) == ("bank_card", (0, 2))


def test_a_number_read_in_halves_shows_no_more_under_a_partial_mask_than_whole() -> None:
    # Keep-last-4 keeps the closing piece's last four chars only; keep-first-3/last-4
    # (phones) keeps the opening piece's first three and the closing piece's last four.
    ids = [
        ("agent", "身份证号 四二零幺零六 一九八五"),
        ("customer", "嗯"),
        ("agent", "零七二三 四八二X 是吧"),
    ]
    assert masked_turns(ids) == ["身份证号 ****** ****", "嗯", "**** 四八二X 是吧"]
    phones = [("agent", "手机号 幺三八 一二"), ("agent", "三四 五六七八 对吧")]
    assert masked_turns(phones) == ["手机号 幺三八 **", "** 五六七八 对吧"]  # 138****5678
    table = TurnScan(DETECTOR, ids)
    [entity] = table.crossing(0)
    assert [(p.opens, p.closes) for _, p in entity.parts] == [(True, False), (False, True)]
