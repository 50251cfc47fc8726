from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hegui.cli.main import app
from hegui.packs import load_rules
from hegui.packs.safe_yaml import MAX_BYTES

runner = CliRunner()

RULE = """pack: mine
rules:
  - id: mine.promise.baoben
    category: compliance.guarantee_return
    message: 承诺保本
    source: 《证券法》第一百三十五条
    when: {{keywords: [保本]}}
    examples:
      match: [这个保本的, 保本保息, {match3}]
      no_match: [不保本, 这个不保本的, 产品有风险]
"""


def write(tmp_path: Path, match3: str) -> Path:
    (tmp_path / "mine.yaml").write_text(RULE.format(match3=match3), "utf-8")
    return tmp_path


def test_rules_test_passes_and_reports_precision_recall(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(write(tmp_path, "放心保本"))])
    assert result.exit_code == 0, result.output
    assert (
        "mine.promise.baoben" in result.output and "precision 1.000, recall 1.000" in result.output
    )


def test_rules_test_fails_on_a_miss(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(write(tmp_path, "收益很好"))])
    assert result.exit_code == 1
    assert "收益很好" in result.output and "recall 0.667" in result.output


def test_list_show_lint_explain(tmp_path: Path) -> None:
    rules = str(write(tmp_path, "放心保本"))
    listed = runner.invoke(app, ["rules", "list", "--rules", rules])
    assert listed.exit_code == 0 and "mine.promise.baoben" in listed.output
    shown = runner.invoke(app, ["rules", "show", "mine.promise.baoben", "--rules", rules])
    assert shown.exit_code == 0 and "keywords" in shown.output
    linted = runner.invoke(app, ["rules", "lint", "--rules", rules])
    assert linted.exit_code == 0 and "0 errors" in linted.output
    why = runner.invoke(
        app, ["rules", "explain", "mine.promise.baoben", "这个不保本，那个保本", "--rules", rules]
    )
    assert why.exit_code == 0
    assert "negated" in why.output and "FIRES" in why.output
    why_not = runner.invoke(
        app,
        ["rules", "explain", "mine.promise.baoben", "保本", "--role", "customer", "--rules", rules],
    )
    assert "does not fire" in why_not.output


def test_shipped_rules_list_and_bad_pack_file(tmp_path: Path) -> None:
    assert runner.invoke(app, ["rules", "list", "--pack", "securities"]).exit_code == 0
    (tmp_path / "bad.yaml").write_text("pack: bad\nrules:\n  - id: BAD\n", "utf-8")
    result = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path)])
    assert result.exit_code == 2 and "bad.yaml:3" in result.output


# --- hostile input: a user's mistake is a message and exit 2, never a traceback ---

LOOKBEHIND = """pack: mine
rules:
  - id: mine.a.look
    category: compliance.guarantee_return
    message: m
    when: {regex: ["(?<!不)保本"]}
    examples: {match: [保本, 保本的, 是保本], no_match: [a, b, c]}
"""


def _bomb() -> str:
    lines = ["pack: bomb", 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join([*lines, "rules: *l9"]) + "\n"


def _hostile(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / kind
    folder.mkdir()
    target = folder / "a.yaml"
    if kind == "bomb":
        target.write_text(_bomb(), "utf-8")
    elif kind == "deep":
        target.write_text("pack: x\nrules: " + "[" * 60 + "]" * 60 + "\n", "utf-8")
    elif kind == "huge":
        target.write_text("pack: x\nrules: []\n#" + "x" * (MAX_BYTES + 1), "utf-8")
    elif kind == "gbk":
        target.write_bytes("pack: 保本\n".encode("gbk"))
    elif kind == "bad_yaml":
        target.write_text("pack: x\nrules:\n  - id: [unclosed\n", "utf-8")
    elif kind == "bad_regex":
        target.write_text(LOOKBEHIND, "utf-8")
    elif kind == "bad_severity":
        target.write_text(
            LOOKBEHIND.replace("message: m", "severity: extreme\n    message: m"), "utf-8"
        )
    elif kind == "folder_named_yaml":
        target.mkdir()
    elif kind == "broken_link":
        target.symlink_to(folder / "nowhere")
    elif kind == "fifo":
        os.mkfifo(target)  # reading it would block forever
    elif kind == "missing":
        return folder / "missing"
    return folder  # "empty": no yaml files


HOSTILE = [
    ("bomb", "展开后节点过多"),
    ("deep", "嵌套超过"),
    ("huge", "文件过大"),
    ("gbk", "不是 UTF-8 文本"),
    ("bad_yaml", "a.yaml:4: YAML 语法错误"),
    ("bad_regex", "a.yaml:6 [mine.a.look] rules.0.when.regex.regex: 正则 '(?<!不)保本'"),
    ("bad_severity", "a.yaml:5 [mine.a.look] rules.0.severity: Input should be 'high'"),
    ("folder_named_yaml", "不是普通文件"),
    ("broken_link", "不是普通文件"),
    ("fifo", "不是普通文件"),
    ("empty", "目录中没有规则文件"),
    ("missing", "路径不存在"),
]
COMMANDS = [["list"], ["show", "x.a.b"], ["lint"], ["test"], ["explain", "x.a.b", "保本"]]


@pytest.mark.parametrize(("kind", "says"), HOSTILE)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_rules_command_refuses_hostile_files_cleanly(
    tmp_path: Path, kind: str, says: str, command: list[str]
) -> None:
    rules = _hostile(tmp_path, kind)
    started = time.perf_counter()
    result = runner.invoke(app, ["rules", *command, "--rules", str(rules)])
    assert time.perf_counter() - started < 10
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # typer.Exit, not a crash
    assert says in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["list", "--pack", "nope"], "没有这个规则包 no such pack 'nope'"),
        (["show", "nope.a.b"], "没有这条规则 no rule 'nope.a.b'"),
        (["explain", "nope.a.b", "保本"], "没有这条规则 no rule 'nope.a.b'"),
        (["explain", "MINE", "保本", "--role", "robot"], "未知角色 unknown role 'robot'"),
        (["explain", "MINE", "保本", "--channel", "fax"], "未知渠道 unknown channel 'fax'"),
        (["test", "--backend", "bogus"], "未知后端 unknown backend 'bogus'"),
    ],
)
def test_mistaken_arguments_are_messages(tmp_path: Path, args: list[str], says: str) -> None:
    rules = str(write(tmp_path, "放心保本"))
    args = [a.replace("MINE", "mine.promise.baoben") for a in args]
    result = runner.invoke(app, ["rules", *args, "--rules", rules])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert says in result.output


def test_lint_and_test_refuse_an_id_inspect_would_combine_twice(tmp_path: Path) -> None:
    """The regression: this passed lint and test, then crashed inspect mid-run."""
    (tmp_path / "mine.yaml").write_text(
        RULE.format(match3="放心保本").replace("mine.promise.baoben", "securities.promise.baoben"),
        "utf-8",
    )
    linted = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path)])
    assert linted.exit_code == 1
    assert (
        "mine.yaml:3 securities.promise.baoben: 规则编号与规则包 securities 冲突" in linted.output
    )
    tested = runner.invoke(app, ["rules", "test", "--rules", str(tmp_path)])
    assert tested.exit_code == 2 and "未运行示例" in tested.output


def test_lint_reports_unknown_category_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        RULE.format(match3="放心保本").replace("compliance.guarantee_return", "compliance.nope"),
        "utf-8",
    )
    linted = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path)])
    assert linted.exit_code == 1
    assert "mine.yaml:3 mine.promise.baoben: 未知类别 unknown category" in linted.output


def test_markup_like_text_is_shown_as_written(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        RULE.format(match3="放心保本")
        .replace("message: 承诺保本", "message: '[/x] 承诺[bold]保本'")
        .replace("{keywords: [保本]}", "{regex: ['保[本]{1}'], negation: true}"),
        "utf-8",
    )
    rules = ["--rules", str(tmp_path)]
    for command in (["list"], ["show", "mine.promise.baoben"], ["test"]):
        result = runner.invoke(app, ["rules", *command, *rules])
        assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["rules", "show", "mine.promise.baoben", *rules])
    assert "[/x] 承诺[bold]保本" in shown.output and "保[本]{1}" in shown.output
    why = runner.invoke(app, ["rules", "explain", "mine.promise.baoben", "[red]保本", *rules])
    assert (
        why.exit_code == 0 and "regex: 保[本]{1}" in why.output and "[/x] 承诺[bold]" in why.output
    )


def test_a_redos_regex_is_tested_in_time(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        RULE.format(match3="保保保本")
        .replace("{keywords: [保本]}", "{regex: ['(保+)+本'], negation: true}")
        .replace("产品有风险", "保" * 5000),
        "utf-8",
    )
    started = time.perf_counter()
    result = runner.invoke(app, ["rules", "test", "--rules", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 10


def test_your_copy_of_a_rule_shipped_off_replaces_it_in_rules_test(tmp_path: Path) -> None:
    shipped = next(p for p in load_rules(["service"]) if not p.spec.enabled).spec
    data = shipped.model_dump(mode="json", by_alias=True, exclude_none=True) | {"enabled": True}
    (tmp_path / "mine.yaml").write_text(
        yaml.safe_dump({"pack": "mine", "rules": [data]}, allow_unicode=True), "utf-8"
    )
    args = ["rules", "test", "--pack", "service", "--rules", str(tmp_path), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def test_a_rule_shipped_off_can_be_explained() -> None:
    off = next(p for p in load_rules(["service"]) if not p.spec.enabled).spec.id
    result = runner.invoke(app, ["rules", "explain", off, "您好", "--pack", "service"])
    assert result.exit_code == 0, result.output
    assert f"规则 rule {off}" in result.output
