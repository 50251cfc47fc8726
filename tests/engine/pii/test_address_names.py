"""Street-level addresses (gazetteer + road/小区/number pieces) and context-marked names."""

from __future__ import annotations

import pytest

from tests.engine.pii.helpers import found_type

ADDRESSES = [
    ("您住在朝阳区建国路88号3单元502吧", ["朝阳区建国路88号3单元502"]),
    ("我住在北京市朝阳区望京花园3栋2单元501", ["北京市朝阳区望京花园3栋2单元501"]),
    ("寄到上海市浦东新区世纪大道100号", ["上海市浦东新区世纪大道100号"]),
    ("地址广东省深圳市南山区科技园路1号", ["广东省深圳市南山区科技园路1号"]),
    ("我家在建国路88号", ["建国路88号"]),
    ("送到阳光花园5号楼1单元302室", ["阳光花园5号楼1单元302室"]),
    ("杭州市西湖区文三路", ["杭州市西湖区文三路"]),
    ("您住在朝阳区建国路八十八号三单元五零二", ["朝阳区建国路八十八号三单元五零二"]),
    ("成都市武侯区人民南路四段12号", ["成都市武侯区人民南路四段12号"]),
]
ADDRESS_NEGATIVES = [
    "我在北京",
    "朝阳区的网点",
    "北京银行",
    "走这条路",
    "您知道吗",
    "上海证券交易所",
    "一路顺风",
    "我们在街上",
    # organisations and landmarks seen in real text (CLUENER2020), not where someone lives
    "南京银行建宁路支行缪行长表示",
    "宁波市政府一位人士指出",
    "自己在中山公园上班",
    "记者从深圳市福利彩票发行中心了解到",
    "山东深化农村信用社改革",
    "您可以去朝阳区建国路88号营业厅办理",
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_addresses(text: str, expected: list[str]) -> None:
    assert found_type(text, "address") == expected


@pytest.mark.parametrize("text", ADDRESS_NEGATIVES)
def test_address_negatives(text: str) -> None:
    assert found_type(text, "address") == []


NAMES = [
    ("张三先生您好", ["张三"]),
    ("请问是王小明先生吗", ["王小明"]),
    ("户名：李四，卡号", ["李四"]),
    ("姓名是欧阳娜娜", ["欧阳娜娜"]),
    ("我叫陈晓", ["陈晓"]),
    ("持卡人刘德华对吧", ["刘德华"]),
    ("这位是赵敏女士", ["赵敏"]),
    ("谢谢李杰先生的致辞", ["李杰"]),
]
NAME_NEGATIVES = [
    "您好王先生",  # surname only
    "小王先生",
    "请问先生贵姓",
    "女士您好",
    "和李女士一起",
    "这位先生",
    "项目主管刘女士",  # 主管 + 刘女士, not a person called 管刘
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names(text: str, expected: list[str]) -> None:
    assert found_type(text, "person_name") == expected


@pytest.mark.parametrize("text", NAME_NEGATIVES)
def test_name_negatives(text: str) -> None:
    assert found_type(text, "person_name") == []


def test_the_pieces_a_char_can_start_agree_with_the_piece_patterns() -> None:
    from hegui.engine.pii.address import _FIRST, _PIECES, pieces_from

    for cp in range(0x10000):
        char = chr(cp)
        if 0xD800 <= cp < 0xE000:
            continue
        expected = tuple(p for p in _PIECES if _FIRST[p[0]].match(char))
        assert pieces_from(char) == expected, char
