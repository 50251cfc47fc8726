"""ID numbers, bank cards and phones: text → expected spans, with hard negatives."""

from __future__ import annotations

import pytest

from tests.engine.pii.helpers import found, found_type

ID = "110105199003071239"  # valid GB 11643 check digit
ID_X = "11010519491231002X"
CARD = "6222021234567890128"  # 19-digit UnionPay, Luhn-valid

ID_CASES = [
    (f"您的身份证号是{ID}对吧", [ID]),
    (f"身份证{ID_X}", [ID_X]),
    ("身份证11010519491231002x", ["11010519491231002x"]),
    (f"证件号：{ID}。", [ID]),
    ("身份证号码440306198512310049", ["440306198512310049"]),
    ("号码是110105 19900307 1239", ["110105 19900307 1239"]),
    ("身份证一一零一零五一九四九一二三一零零二叉", ["一一零一零五一九四九一二三一零零二叉"]),
    ("身份证１１０１０５１９９００３０７１２３９", ["１１０１０５１９９００３０７１２３９"]),
    ("我身份证号110105900307123", ["110105900307123"]),  # legacy 15-digit
    # a wrong check digit is still an ID when the context says so (ASR misread)
    ("您的身份证号是110105199003071234对吧", ["110105199003071234"]),
]
ID_NEGATIVES = [
    "订单号110105199003071234",  # wrong check digit, no ID context
    f"流水号1{ID}5",  # 20 digits holding a valid ID-shaped substring
    f"编号{ID}0",
    "110105199013071231",  # month 13
    "990105199003071235",  # province 99
    "快递单号110105900307123",  # 15-digit tracking number shaped like a legacy ID
]


@pytest.mark.parametrize(("text", "expected"), ID_CASES)
def test_id_numbers(text: str, expected: list[str]) -> None:
    assert found_type(text, "id_number") == expected


@pytest.mark.parametrize("text", ID_NEGATIVES)
def test_id_hard_negatives(text: str) -> None:
    assert found_type(text, "id_number") == []


CARD_CASES = [
    (f"卡号{CARD}", [CARD]),
    ("卡号6222 0212 3456 7890 128", ["6222 0212 3456 7890 128"]),
    ("6222-0212-3456-7890-128", ["6222-0212-3456-7890-128"]),
    ("我的卡是6217001234567890015吗", ["6217001234567890015"]),
    ("信用卡4392250012345673", ["4392250012345673"]),
    ("5100001234567895", ["5100001234567895"]),
    ("借记卡9558801234567890128", ["9558801234567890128"]),
    ("六二二二零二一二三四五六七八九零一二八", ["六二二二零二一二三四五六七八九零一二八"]),
    ("卡号6222 0212 3456 7890 123", ["6222 0212 3456 7890 123"]),  # Luhn fails, card context
    # Luhn fails, no card word in the clause, but read out in fours: a read-back card
    (
        "我重复一遍 六二一七 八五零零 三二幺九 四零六六 二七五 对吗",
        ["六二一七 八五零零 三二幺九 四零六六 二七五"],
    ),
]
CARD_NEGATIVES = [
    "订单号2026112212345671",  # Luhn-valid order number
    "交易流水6222021234567890128",
    "6222021234567890127",  # Luhn fails, no context, not read in fours
    "工单号 6222 0212 3456 7890 127",  # read in fours, but a veto word names it
    "6222 0212 3456 7890 127",  # typed in fours: only a spoken read-back counts
    "借据号 六二零一 二四幺幺 零七零零 零幺二三",  # spoken, but named a 号
    "金额6222021234567890128元",
    "https://pay.example.com/c/6222021234567890128",
    "时间戳1732288245000",
]


@pytest.mark.parametrize(("text", "expected"), CARD_CASES)
def test_bank_cards(text: str, expected: list[str]) -> None:
    assert found_type(text, "bank_card") == expected


@pytest.mark.parametrize("text", CARD_NEGATIVES)
def test_card_hard_negatives(text: str) -> None:
    assert found_type(text, "bank_card") == []


PHONE_CASES = [
    ("我的手机号是13812345678", ["13812345678"]),
    ("138 1234 5678", ["138 1234 5678"]),
    ("138-1234-5678", ["138-1234-5678"]),
    ("+86 138 1234 5678", ["+86 138 1234 5678"]),
    ("008613812345678", ["008613812345678"]),
    ("您登记的手机是一三八一二三四五六七八", ["一三八一二三四五六七八"]),
    ("我的号码是幺三八一二三四五六七八", ["幺三八一二三四五六七八"]),
    ("幺三八，一二三四，五六七八", ["幺三八，一二三四，五六七八"]),
    ("幺三八 嗯 一二三四 五六七八", ["幺三八 嗯 一二三四 五六七八"]),
    ("一八八八八八八八八八八", ["一八八八八八八八八八八"]),
    ("幺三八一二三四两个五六六", ["幺三八一二三四两个五六六"]),
    ("幺三九三个八四四五六七", ["幺三九三个八四四五六七"]),
    ("１３８１２３４５６７８", ["１３８１２３４５６７８"]),
    ("手机号13812345678，", ["13812345678"]),
    ("14512345678", ["14512345678"]),
    ("16612345678", ["16612345678"]),
    ("17012345678", ["17012345678"]),
    ("19912345678", ["19912345678"]),
    ("电话010-62345678", ["010-62345678"]),
    ("座机0755-88886666转123", ["0755-88886666转123"]),
    ("打02162345678找我", ["02162345678"]),
    ("家里座机62345678", ["62345678"]),
]
PHONE_NEGATIVES = [
    "金额13800000000元",
    "订单号13812345678",
    "12012345678",  # no 120 segment
    "https://example.com/u/13812345678",
    "www.example.com/13812345678",
    "客服热线95588",
    "请拨打400-820-8820",
    "sf13812345678",  # glued to a tracking prefix
    "2026-11-22 15:30:45",
    "20261122153045",
    "1732288245",
    "工号1023",
]


@pytest.mark.parametrize(("text", "expected"), PHONE_CASES)
def test_phones(text: str, expected: list[str]) -> None:
    assert found_type(text, "phone") == expected


@pytest.mark.parametrize("text", PHONE_NEGATIVES)
def test_phone_hard_negatives(text: str) -> None:
    assert found_type(text, "phone") == []


@pytest.mark.parametrize(
    "text",
    [
        "订单号2026112212345671",
        "您的订单20261122153045已发货",
        "2026年11月22日",
        "20261122",
        "金额1,234,567.89元",
        "¥13812345678",
        "快递单号SF1234567890123",
        "运单号773123456789012",
        f"12345678901234567890{ID}",
        "版本1.2.3.4",
        "您好，工号1023，很高兴为您服务。",
    ],
)
def test_no_entity_at_all(text: str) -> None:
    assert found(text) == []


def test_two_numbers_in_one_utterance() -> None:
    text = f"手机13812345678，卡号{CARD}，身份证{ID}"
    assert found(text) == [("phone", "13812345678"), ("bank_card", CARD), ("id_number", ID)]


def test_adjacent_numbers_are_not_joined() -> None:
    assert found("13812345678，10000") == [("phone", "13812345678")]


@pytest.mark.parametrize(
    "text",
    [
        "您的卡号是 6226 0917 4523 8811",  # Luhn fails (a misread); its tail looks like 0917 landline
        "您的卡号是六二二六 零九一七 四五二三 八八一一",
        # a 19-digit misread whose tail looks like a mobile (1538 2074 661)
        "卡号是 6217 9200 1538 2074 661",
        "卡号是 六二幺七 九二零零 幺五三八 二零七四 六六幺",
        # no card word: read in fours, the whole wins over a landline- or mobile-shaped tail
        "支付到的账户是 六二幺七 幺幺零零 零二八五 六七三二 九零四 您看一下",
        "六二幺七 九二零零 幺五三八 二零七四 六六幺",
    ],
)
def test_a_misread_card_is_not_split_into_a_phone(text: str) -> None:
    assert [kind for kind, _ in found(text)] == ["bank_card"]


def test_a_mobile_after_a_whole_misread_card_is_a_second_number() -> None:
    # 16 digits (Luhn fails) and then a grouped mobile: both found, so both are masked.
    text = "卡号是6222 0212 3456 7891 138 1234 5678"
    assert found(text) == [("bank_card", "6222 0212 3456 7891"), ("phone", "138 1234 5678")]


def test_a_landline_after_card_words_keeps_its_own_context() -> None:
    text = "卡号是6226 0917 4523 8811 座机0917 4523881"
    assert found(text) == [("bank_card", "6226 0917 4523 8811"), ("phone", "0917 4523881")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a comma ends the first number: the next one is read on its own
        (
            "您的卡号是6222021234567890128，110105900307123是您的身份证号吧",
            [("bank_card", "6222021234567890128"), ("id_number", "110105900307123")],
        ),
        (
            "身份证号是110105199003071239，13812345678",
            [("id_number", "110105199003071239"), ("phone", "13812345678")],
        ),
        # words of its own kind right before it
        (
            "身份证号 110105199003071239 座机010-8888 6666",
            [("id_number", "110105199003071239"), ("phone", "010-8888 6666")],
        ),
    ],
)
def test_a_second_number_in_the_run_keeps_its_own_reading(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two phones read one after the other: the second is no piece of a card
        ("幺三八幺二三四五六七八 零七五五 八八八八 六六六六", ["phone", "phone"]),
        ("138 1234 5678 139 8765 4321", ["phone", "phone"]),
        ("工号 六二幺七 幺三八 幺二三四 五六七八", ["phone"]),
        # a card read in fours and then its CVV: still one card, its tail no phone
        ("就是 六二幺七 九二零零 幺五三八 二零七四 六六幺 幺二三", ["bank_card"]),
    ],
)
def test_a_phone_after_a_number_that_is_no_card_keeps_its_score(
    text: str, expected: list[str]
) -> None:
    assert [kind for kind, _ in found(text)] == expected
