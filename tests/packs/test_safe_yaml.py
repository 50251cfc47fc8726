"""Rule files from anyone: alias bombs, deep nesting, huge or odd files are refused fast,
with the file (and line) named; ordinary anchors still work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hegui.packs import PackError, load_located, load_pack_text, parse_located
from hegui.packs.safe_yaml import MAX_BYTES, MAX_DEPTH

RULE = """
  - id: mine.a.b
    category: compliance.guarantee_return
    message: m
    when: {keywords: [保本]}
    examples: {match: [保本, 保本的, 是保本], no_match: [a, b, c]}
"""


def billion_laughs(levels: int = 9) -> str:
    lines = ["pack: bomb", 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"rules: *l{levels}")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_in_well_under_a_second() -> None:
    started = time.thread_time()
    with pytest.raises(PackError, match=r"<t>:\d+: 展开后节点过多 .*alias bomb"):
        load_pack_text(billion_laughs(), "<t>")
    assert time.thread_time() - started < 1


def test_an_alias_that_contains_itself_is_refused() -> None:
    with pytest.raises(PackError, match="<t>:2: 别名引用自身"):
        load_pack_text("pack: x\nrules: &r [*r]\n", "<t>")


def test_deep_nesting_is_refused() -> None:
    deep = "{all: [" * (MAX_DEPTH + 5) + "{keywords: [保本]}" + "]}" * (MAX_DEPTH + 5)
    text = "pack: x\nrules:" + RULE.replace("{keywords: [保本]}", deep)
    with pytest.raises(PackError, match="嵌套超过 40 层 nested too deeply"):
        load_pack_text(text, "<t>")


def test_nesting_past_the_yaml_parser_limit_is_refused() -> None:
    with pytest.raises(PackError, match="<t>"):
        load_pack_text("pack: x\nrules: " + "[" * 5000 + "]" * 5000, "<t>")


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("pack: x\nrules: []\n#" + "x" * MAX_BYTES, "utf-8")
    with pytest.raises(PackError, match=r"big\.yaml: 文件过大 file too large"):
        load_located(path)


def test_not_utf8_is_named_and_a_bom_is_fine(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(("pack: x\nrules:" + RULE).encode("gbk"))
    with pytest.raises(PackError, match=r"gbk\.yaml: 不是 UTF-8 文本 not UTF-8"):
        load_located(gbk)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(("pack: x\nrules:" + RULE).encode("utf-8-sig"))
    assert load_located(bom).spec.rules[0].id == "mine.a.b"


def test_a_key_written_twice_is_refused_with_its_line() -> None:
    text = "pack: x\nrules:" + RULE.replace(
        "when: {keywords: [保本]}", "when: {keywords: [保本]}\n    when: {keywords: [保息]}"
    )
    with pytest.raises(PackError, match="<t>:7: 重复的键 duplicate key 'when'"):
        load_pack_text(text, "<t>")


@pytest.mark.parametrize("value", ["2024-13-45", "!!int x", "!!float x", "!!timestamp x"])
def test_a_scalar_that_cannot_be_built_is_a_pack_error(value: str) -> None:
    with pytest.raises(PackError, match="<t>: YAML 值无法解析 bad value"):
        load_pack_text(f"pack: x\nrules: []\nwhen: {value}\n", "<t>")


def test_python_tags_are_refused() -> None:
    with pytest.raises(PackError, match="YAML"):
        load_pack_text("pack: x\nrules: !!python/object/apply:os.system [ls]\n", "<t>")


def test_anchors_within_the_limits_still_work_and_rules_know_their_lines() -> None:
    text = (
        "pack: x\nrules:"
        + RULE.replace("[保本]", "&words [保本]")
        + RULE.replace("mine.a.b", "mine.a.c").replace("[保本]", "*words")
    )
    loaded = parse_located(text, "<t>")
    assert [r.id for r in loaded.spec.rules] == ["mine.a.b", "mine.a.c"]
    assert loaded.where(0) == "<t>:3" and loaded.where(1) == "<t>:9"
