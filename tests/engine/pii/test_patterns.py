"""Email, IP, passport, travel permit, licence plate and credit code tables."""

from __future__ import annotations

import pytest

from tests.engine.pii.helpers import found, found_type

CASES = [
    ("email", "您的邮箱zhang.san@163.com", ["zhang.san@163.com"]),
    ("email", "发到ZHANG_SAN＠QQ.COM就行", ["ZHANG_SAN＠QQ.COM"]),
    ("email", "邮箱是li-si+bank@mail.example.com.cn对吧", ["li-si+bank@mail.example.com.cn"]),
    ("email", "邮箱是zhangsan艾特一六三点com", ["zhangsan艾特一六三点com"]),
    ("email", "zhang.san at qq dot com", ["zhang.san at qq dot com"]),
    ("email", "邮箱 wang123 圈a 163.com 对", ["wang123 圈a 163.com"]),
    ("ip_address", "登录IP是192.168.1.100", ["192.168.1.100"]),
    ("ip_address", "地址10.0.0.1和8.8.8.8", ["10.0.0.1", "8.8.8.8"]),
    (
        "ip_address",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
    ),
    ("passport", "护照号E12345678", ["E12345678"]),
    ("passport", "护照EA1234567", ["EA1234567"]),
    ("passport", "g12345678", ["g12345678"]),
    ("travel_permit", "回乡证H12345678", ["H12345678"]),
    ("travel_permit", "港澳通行证C12345678", ["C12345678"]),
    ("travel_permit", "台胞证12345678", ["12345678"]),
    ("travel_permit", "台胞证号码：12345678", ["12345678"]),
    ("email", "邮箱：a@b.cn，手机13812345678", ["a@b.cn"]),
    ("travel_permit", "M1234567801", ["M1234567801"]),
    ("license_plate", "车牌京A12345", ["京A12345"]),
    ("license_plate", "粤B·D12345", ["粤B·D12345"]),
    ("license_plate", "沪AD12345", ["沪AD12345"]),
    ("license_plate", "苏E12345F", ["苏E12345F"]),
    ("license_plate", "浙a 1b234", ["浙a 1b234"]),
    ("license_plate", "京A幺二三四五", ["京A幺二三四五"]),
    ("credit_code", "统一社会信用代码91350100M000100Y43", ["91350100M000100Y43"]),
    ("credit_code", "税号91110108551385082Q", ["91110108551385082Q"]),
]
NEGATIVES = [
    ("email", "look at this dot"),
    ("email", "我们在艾特那边"),
    ("email", "zhang***@163.com"),
    ("ip_address", "版本1.2.3.4"),
    ("ip_address", "v1.2.3.4"),
    ("ip_address", "999.1.1.1"),
    ("ip_address", "利率3.85"),
    ("passport", "E1234567"),
    ("passport", "ABE12345678"),
    ("license_plate", "沪深300指数"),
    ("license_plate", "京AB"),
    ("license_plate", "京ABCDE"),
    ("credit_code", "91350100M000100Y44"),  # check char wrong
    ("credit_code", "ABCDEFGHJKLMNPQRTU"),
]


@pytest.mark.parametrize(("kind", "text", "expected"), CASES)
def test_patterns(kind: str, text: str, expected: list[str]) -> None:
    assert found_type(text, kind) == expected


@pytest.mark.parametrize(("kind", "text"), NEGATIVES)
def test_pattern_hard_negatives(kind: str, text: str) -> None:
    assert found_type(text, kind) == []


def test_email_in_url_is_not_reported_twice() -> None:
    assert found("https://example.com/a@b.com") == []
