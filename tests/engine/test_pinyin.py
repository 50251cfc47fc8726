import pytest

from hegui.engine.pinyin import canonical


@pytest.mark.parametrize(
    ("keyword", "heard", "same"),
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
def test_sound_alikes_share_a_canonical_form(keyword: str, heard: str, same: bool) -> None:
    assert (canonical(keyword) == canonical(heard)) is same


def test_rare_characters_and_other_text_are_kept() -> None:
    assert canonical("鸨") == "鸨"
    assert canonical("app 123") == "app 123"
    assert len(canonical("这个产品保本的")) == len("这个产品保本的")
