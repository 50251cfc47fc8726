"""PII beyond the mainland formats: international and HK/Macau/Taiwan phones, cards of every
major scheme, IPv6 in every written form, internationalised e-mail addresses. Each table
has hard negatives beside it: amounts, dates, order numbers, IDs, times, MAC addresses."""

from __future__ import annotations

import pytest

from hegui.engine.pii import MaskPolicy, PiiDetector, mask_text
from hegui.engine.pii.validators import card_scheme, luhn_valid
from tests.engine.pii.helpers import found, found_type

PHONES = [
    ("+852 9123 4567", ["+852 9123 4567"]),
    ("香港电话852-9123-4567", ["852-9123-4567"]),
    ("852 9123 4567", ["852 9123 4567"]),
    ("+853 6612 3456", ["+853 6612 3456"]),
    ("+886 912 345 678", ["+886 912 345 678"]),
    ("+886 2 2345 6789", ["+886 2 2345 6789"]),
    ("0912-345-678", ["0912-345-678"]),
    ("台湾手机0912345678", ["0912345678"]),
    ("+1 (415) 555-0132", ["+1 (415) 555-0132"]),
    ("+44 20 7946 0958", ["+44 20 7946 0958"]),
    ("+81 90-1234-5678", ["+81 90-1234-5678"]),
    ("+65 9123 4567", ["+65 9123 4567"]),
    ("0044 20 7946 0958", ["0044 20 7946 0958"]),
    ("00852 9123 4567", ["00852 9123 4567"]),
    ("＋８５２ ９１２３ ４５６７", ["＋８５２ ９１２３ ４５６７"]),
    # national form after a region or phone word
    ("我香港的手机是9123 4567", ["9123 4567"]),
    ("澳门电话6612 3456", ["6612 3456"]),
    ("香港办公室2345 6789", ["2345 6789"]),
    # spoken numerals: the normaliser yields the digits
    ("我香港的手机是九一二三 四五六七", ["九一二三 四五六七"]),
    ("号码八五二 九一二三 四五六七", ["八五二 九一二三 四五六七"]),
    ("零九一二 三四五 六七八", ["零九一二 三四五 六七八"]),
    # two numbers, one mainland and one foreign
    ("手机13812345678，香港号码+852 9123 4567", ["13812345678", "+852 9123 4567"]),
    # a short group after a foreign number is not an extension
    ("台湾手机0912-345-678，123", ["0912-345-678"]),
]
PHONE_NEGATIVES = [
    "金额+85291234567元",  # amount
    "订单号85291234567",  # order number
    "85291234567",  # eleven digits, not grouped as a country code, no context
    "0912345678",  # ten digits, no grouping, no context
    "91234567",  # eight digits, no context
    "号码是62345678",  # 号码 alone does not make 8 digits a Hong Kong number
    "电话1234 5678",  # not a valid HK/Macau number
    "客服热线95588",
    "请拨打400-820-8820",
    "免费电话800-820-8820",
    "2026-11-22 15:30:45",
    "20261122153045",
    "+12 3456 7890",  # not a valid number for country code 1
    "身份证号810000199003071237",  # HK resident ID shape, not a phone
    "卡号4111 1111 1111 1111",
    "涨幅+3.85%",
    "00123456789012",  # 00 with no country code grouping or context
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_international_phones(text: str, expected: list[str]) -> None:
    assert found_type(text, "phone") == expected


@pytest.mark.parametrize("text", PHONE_NEGATIVES)
def test_international_phone_hard_negatives(text: str) -> None:
    assert found_type(text, "phone") == []


def test_mainland_phones_keep_their_spans_and_scores() -> None:
    detector = PiiDetector()
    [mobile] = detector.scan("+86 138-1234-5678")
    assert (mobile.text, mobile.score) == ("+86 138-1234-5678", 0.9)  # the mobile reading
    [landline] = detector.scan("座机(0755)8888 6666转123")
    assert landline.text == "(0755)8888 6666转123"
    [cn] = detector.scan("+86 10 6234 5678")  # a mainland landline in E.164
    assert cn.type == "phone" and cn.text == "+86 10 6234 5678"


CARDS = [
    ("4111 1111 1111 1111", "visa"),
    ("4222222222222", "visa"),  # 13 digits (needs card context below)
    ("4111111111111111110", "visa"),  # 19 digits
    ("5555 5555 5555 4444", "mastercard"),
    ("2221 0012 3456 7896", "mastercard"),
    ("2720 9912 3456 7894", "mastercard"),
    ("3782 822463 10005", "amex"),
    ("3714 496353 98431", "amex"),
    ("3530 1113 3330 0000", "jcb"),
    ("3589 0000 0000 0003", "jcb"),
    ("3056 930902 5904", "diners"),
    ("3600 000000 0008", "diners"),
    ("3852 000002 3237", "diners"),
    ("6011 1111 1111 1117", "discover"),
    ("6445 6445 6445 6445", "discover"),
    ("6500 0000 0000 0002", "discover"),
    ("6222 0212 3456 7890 128", "unionpay"),
    ("6212 3456 7890 1232", "unionpay"),
]


@pytest.mark.parametrize(("card", "scheme"), CARDS)
def test_cards_of_every_scheme_with_card_context(card: str, scheme: str) -> None:
    digits = card.replace(" ", "")
    assert luhn_valid(digits) and card_scheme(digits) == scheme
    assert found_type(f"信用卡号{card}", "bank_card") == [card]


@pytest.mark.parametrize(
    "card",
    [c for c, s in CARDS if len(c.replace(" ", "")) >= 16 or s in ("amex", "diners")],
)
def test_cards_in_their_grouping_need_no_context(card: str) -> None:
    assert found_type(f"好的，{card}，我记一下", "bank_card") == [card]


@pytest.mark.parametrize(
    "text",
    [
        "378282246310005",  # Amex digits, not in 4-6-5 groups, no context
        "4222222222222",  # 13-digit Visa without context
        "30569309025904",  # Diners digits ungrouped
        "订单号3782 822463 10005",  # order context
        "3782 822463 10006",  # Luhn fails
        "2220 0012 3456 7891",  # below Mastercard's 2221
        "2721 0012 3456 7895",  # above 2720
        "快递单号773123456789012",
        "时间戳1732288245000",
        "身份证370102199003071237",
        "金额3782 822463 10005元",
    ],
)
def test_card_hard_negatives(text: str) -> None:
    assert found_type(text, "bank_card") == []


@pytest.mark.parametrize(
    ("number", "scheme"),
    [
        ("4111111111111111", "visa"),
        ("411111111111111", None),  # 15 digits: no Visa length
        ("2220991234567890", None),
        ("5105105105105100", "mastercard"),
        ("3527000000000000", None),  # JCB starts at 3528
        ("30000000000004", "diners"),
        ("30600000000000", None),  # 306 is not Diners
        ("6221260000000000", "unionpay"),
        ("9558801234567890128", "domestic"),
        ("1234567890123456", None),
        ("4111-1111", None),
    ],
)
def test_card_scheme_table(number: str, scheme: str | None) -> None:
    assert card_scheme(number) == scheme


IPV6 = [
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "2001:db8:85a3::8a2e:370:7334",
    "2001:db8:0:0:1:0:0:1",
    "2001:db8::1",
    "::1",
    "::ffff:192.0.2.1",
    "64:ff9b::192.0.2.33",
    "fe80::1%eth0",
    "fe80::1ff:fe23:4567:890a%en0",
    "2001:db8::/32",
    "2001:db8:1234::/48",
    "2001:DB8::8A2E:370:7334",
    "ｆｅ８０：：１",
]


@pytest.mark.parametrize("address", IPV6)
def test_ipv6_in_every_written_form(address: str) -> None:
    assert found_type(f"登录地址{address}，请核实", "ip_address") == [address]
    assert found_type(f"IP: {address}.", "ip_address") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "会议时间12:30:45开始",
        "12:30",
        "MAC地址00:1a:2b:3c:4d:5e",
        "比分3:2:1",
        "std::cout",
        "ab::cd",  # no digit, not written in full
        "2001:db8::g1",
        "1:2:3:4:5:6:7:8:9",  # nine groups
        "2001:db8:::1",
        "2001:db8::/129",
        "版本2001:db8::1",
    ],
)
def test_ipv6_hard_negatives(text: str) -> None:
    assert found_type(text, "ip_address") == []


def test_ipv4_mapped_address_is_one_entity() -> None:
    assert found("::ffff:192.0.2.1") == [("ip_address", "::ffff:192.0.2.1")]


EMAILS = [
    ("我的邮箱是张三@例子.中国对吧", ["张三@例子.中国"]),
    ("张三@例子.中国", ["张三@例子.中国"]),
    ("發給李四@銀行.公司", ["李四@銀行.公司"]),
    ("请发给张为民@公司.中国", ["张为民@公司.中国"]),
    ("邮箱zhang@例子.中国，谢谢", ["zhang@例子.中国"]),
    ("联系王五@qq.com", ["王五@qq.com"]),
    ("write to user@bücher.de please", ["user@bücher.de"]),
    ("müller@bücher.de", ["müller@bücher.de"]),
    ("почта иван@пример.рф сейчас", ["иван@пример.рф"]),
    ("user@xn--bcher-kva.de", ["user@xn--bcher-kva.de"]),
    ("邮箱user@xn--fsqu00a.xn--fiqs8s", ["user@xn--fsqu00a.xn--fiqs8s"]),
    ("张三@例子.中国，李四@例子.中国", ["张三@例子.中国", "李四@例子.中国"]),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_internationalised_emails(text: str, expected: list[str]) -> None:
    assert found_type(text, "email") == expected


@pytest.mark.parametrize(
    "text",
    [
        "回复@张三：好的",  # a mention, no domain
        "@新浪财经 今天",
        "张三@例子。中国",  # a full stop, not a dot
        "张三@例子",
        "我们公司的联系人一般是这位特别负责的老同志张三@例子.中国",  # no clear start
        "user@xn--zzzzzzzz9.de",  # broken punycode
        "https://例子.中国/a@b.中国",
    ],
)
def test_internationalised_email_hard_negatives(text: str) -> None:
    assert found_type(text, "email") == []


@pytest.mark.parametrize(
    "text",
    [
        "香港手机+852 9123 4567，邮箱张三@例子.中国",
        "运通卡3782 822463 10005，IP fe80::1%eth0",
    ],
)
def test_new_forms_mask_to_tags_and_keep_the_rest(text: str) -> None:
    detector = PiiDetector()
    entities = detector.scan(text)
    masked = mask_text(text, entities, MaskPolicy())
    for e in entities:
        assert e.text not in masked
    assert masked.startswith(text[: entities[0].start])
    partial = mask_text(text, entities, MaskPolicy.preset("partial"))
    assert partial != text


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # a country code read inside a longer number is not one
        ("好的，6227 0049 1837 9491 410这张储蓄卡", "bank_card", ["6227 0049 1837 9491 410"]),
        ("卡号4246 5031 0049 3654 276", "bank_card", ["4246 5031 0049 3654 276"]),
        # a card after a landline and a comma: not the landline's extension
        (
            "您登记的手机是０８７１８８４７００６，3528 3954 5571 5293",
            "phone",
            ["０８７１８８４７００６"],
        ),
        # a foreign number whose digits after the country code look like a mainland mobile
        ("我的手机号是+49 1512 3458252", "phone", ["+49 1512 3458252"]),
        ("amex 3435 173560 92568", "bank_card", ["3435 173560 92568"]),
    ],
)
def test_new_forms_beside_mainland_readings(text: str, kind: str, expected: list[str]) -> None:
    assert found_type(text, kind) == expected
