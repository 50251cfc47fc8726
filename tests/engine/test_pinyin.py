import re

import pytest

from hegui.engine.pinyin import homophone_regex


@pytest.mark.parametrize(
    ("keyword", "heard", "hits"),
    [
        ("保本", "包本", True),
        ("保本", "宝本", True),
        ("收益", "受益", True),
        ("保本", "宝贝", False),
        ("保本", "包办", False),
        ("收益", "首页", False),
        ("收益", "收入", False),
    ],
)
def test_homophones(keyword: str, heard: str, hits: bool) -> None:
    assert bool(re.fullmatch(homophone_regex(keyword), heard)) is hits


def test_rare_characters_are_not_admitted() -> None:
    assert "鸨" not in homophone_regex("保")
