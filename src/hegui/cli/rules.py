"""`hegui rules list|show|lint|test|explain`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, NoReturn

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from hegui.cli.rulestats import stats_command
from hegui.engine.explain import NodeTrace, explain_rule
from hegui.engine.library import PackedRule, RuleError, RuleLibrary
from hegui.engine.match import BACKENDS, hyperscan_available
from hegui.engine.model import CHANNELS, ROLES, Conversation, Utterance
from hegui.engine.session import Session
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import (
    SHIPPED,
    PackError,
    available_packs,
    load_pack_file,
    pack_files,
    taxonomy,
)
from hegui.packs.lint import Problem, lint_sources
from hegui.packs.testing import RuleReport, run_examples, switched_on
from hegui.packs.validate import validate_rule_sources

app = typer.Typer(
    help="规则包管理与测试 Rule packs: list, show, lint, test, explain, stats.",
    no_args_is_help=True,
)
app.command("stats")(stats_command)
console = Console(width=None if sys.stdout is not None and sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True, highlight=False)

PackOpt = Annotated[
    list[str] | None, typer.Option("--pack", help="规则包（可多次）pack name (repeatable)")
]
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="自定义规则目录 your own rules folder/file")
]


def _fail(message: str) -> NoReturn:
    """A user's mistake: the message (Chinese first) on stderr, exit 2, no traceback."""
    err.print(f"[red]{escape(message)}[/red]", highlight=False)
    raise typer.Exit(2)


def _load(
    packs: list[str] | None, rules: list[Path] | None
) -> tuple[list[PackedRule], dict[str, list[str]]]:
    names = packs if packs else ([] if rules else available_packs())
    rules_dirs = rules or []
    packed: list[PackedRule] = []
    industries: dict[str, list[str]] = {}
    try:
        for path in pack_files(names, rules_dirs):
            spec = load_pack_file(path)
            industries[spec.pack] = list(spec.industries)
            packed.extend(PackedRule(spec.pack, rule) for rule in spec.rules)
    except PackError as exc:
        _fail(str(exc))
    return packed, industries


def _library(packed: list[PackedRule], backend: str = "auto") -> RuleLibrary:
    if backend not in ("auto", *BACKENDS):
        _fail(f"未知后端 unknown backend {backend!r}; choose from auto, {', '.join(BACKENDS)}")
    if backend == "hyperscan" and not hyperscan_available():
        _fail("本机没有 Hyperscan / hyperscan is not installed here; use --backend portable")
    try:
        return RuleLibrary(
            packed,
            taxonomy(),
            backend=backend,
            lexicon=default_lexicon(),
            dedupe=False,
            semantic=semantic_model(),
        )
    except RuleError as exc:
        _fail(str(exc))


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.level == "error" else "yellow"
        console.print(
            f"[{colour}]{problem.level}[/{colour}] {escape(str(problem))}", highlight=False
        )


@app.command("list")
def list_rules(pack: PackOpt = None, rules: RulesOpt = None) -> None:
    """列出规则 List rules."""
    packed, _ = _load(pack, rules)
    table = Table(
        "规则 rule",
        "版本 v",
        "类别 category",
        "严重度 severity",
        "类型 kind",
        "启用 on",
        "说明 message",
    )
    tax = taxonomy()
    for item in packed:
        spec = item.spec
        severity = spec.severity or (
            tax.default_severity(spec.category) if spec.category in tax else "?"
        )
        on = "✓" if spec.enabled else "off"
        table.add_row(
            spec.id,
            str(spec.version),
            escape(spec.category),
            severity,
            spec.kind,
            on,
            escape(spec.message),
        )
    console.print(table)
    off = sum(not p.spec.enabled for p in packed)
    console.print(f"{len(packed)} rules in {len({p.pack for p in packed})} packs ({off} off)")


@app.command("show")
def show(rule_id: str, pack: PackOpt = None, rules: RulesOpt = None) -> None:
    """显示一条规则的完整定义 Show one rule as YAML."""
    packed, _ = _load(pack, rules)
    for item in packed:
        if item.spec.id == rule_id:
            data = item.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
            console.print(f"# pack: {item.pack}", markup=False)
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            console.print(text, highlight=False, markup=False)
            return
    _fail(f"没有这条规则 no rule {rule_id!r}")


@app.command("lint")
def lint(pack: PackOpt = None, rules: RulesOpt = None) -> None:
    """检查规则 Check rules as inspection will combine them: schema, regex, taxonomy, ids
    (also against every shipped pack your rules can be used with), examples."""
    packed, _ = _load(pack, rules)
    problems = lint_sources(rules or [], pack or None)
    _print_problems(problems)
    errors = sum(p.level == "error" for p in problems)
    console.print(f"{len(packed)} rules, {errors} errors, {len(problems) - errors} warnings")
    if errors:
        raise typer.Exit(1)


@app.command("test")
def test(
    pack: PackOpt = None,
    rules: RulesOpt = None,
    backend: Annotated[str, typer.Option(help="auto | hyperscan | portable")] = "auto",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="只列失败的规则 list failing rules only")
    ] = False,
) -> None:
    """运行规则示例 Run every rule's examples; per-rule precision and recall; fails on any miss."""
    packed, industries = _load(pack, rules)
    problems = validate_rule_sources(rules or [], packs=pack or None)
    if problems:
        _print_problems(problems)
        _fail(f"规则有 {len(problems)} 处错误，未运行示例 / {len(problems)} errors; not run")
    tested = switched_on(packed)
    library = _library(tested, backend)
    reports = run_examples(tested, library, industries)
    table = Table("规则 rule", "命中 match", "不命中 no_match", "精确率 P", "召回率 R", "结果")
    for r in reports:
        if not quiet or not r.passed:
            ok = "[green]✓[/green]" if r.passed else "[red]✗[/red]"
            table.add_row(
                r.rule_id,
                f"{r.tp}/{r.tp + r.fn}",
                f"{r.tn}/{r.tn + r.fp}",
                f"{r.precision:.2f}",
                f"{r.recall:.2f}",
                ok,
            )
    if table.row_count:
        console.print(table)
    for r in reports:
        for f in r.failures:
            want = "应命中 should match" if f.expected == "match" else "不应命中 should not match"
            console.print(
                f"[red]✗ {r.rule_id}[/red] example {f.number} ({want}): {escape(f.text)}",
                highlight=False,
            )
    _category_summary(reports)
    failed = [r for r in reports if not r.passed]
    examples = sum(r.tp + r.fn + r.fp + r.tn for r in reports)
    tp = sum(r.tp for r in reports)
    fp = sum(r.fp for r in reports)
    fn = sum(r.fn for r in reports)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    console.print(
        f"{len(reports)} rules, {examples} examples, backend {library.backend}: "
        f"precision {precision:.3f}, recall {recall:.3f}; "
        f"{len(reports) - len(failed)} passed, {len(failed)} failed",
        highlight=False,
    )
    if failed:
        raise typer.Exit(1)


def _category_summary(reports: list[RuleReport]) -> None:
    rules = Counter(r.category for r in reports)
    examples: Counter[str] = Counter()
    for r in reports:
        examples[r.category] += r.tp + r.fn + r.fp + r.tn
    table = Table("类别 category", "规则 rules", "示例 examples")
    for category in sorted(rules):
        table.add_row(category, str(rules[category]), str(examples[category]))
    console.print(table)


@app.command("explain")
def explain(
    rule_id: str,
    text: str,
    role: Annotated[
        str | None, typer.Option(help="说话人 role (default: the rule's first role)")
    ] = None,
    channel: Annotated[str, typer.Option(help="渠道 channel")] = "phone",
    pack: PackOpt = None,
    rules: RulesOpt = None,
) -> None:
    """解释规则为何命中/未命中 Show why a rule does or does not fire on a text."""
    packed, industries = _load(pack, rules)
    chosen = [p for p in packed if p.spec.id == rule_id]
    if not chosen:
        _fail(f"没有这条规则 no rule {rule_id!r}")
    if role is not None and role not in ROLES:
        _fail(f"未知角色 unknown role {role!r}; choose from {', '.join(ROLES)}")
    if channel not in CHANNELS:
        _fail(f"未知渠道 unknown channel {channel!r}; choose from {', '.join(CHANNELS)}")
    item = chosen[0]
    library = _library(switched_on(chosen))
    compiled = library.by_id[rule_id]
    who = role or item.spec.scope.roles[0]
    industry = (item.spec.scope.industries or industries.get(item.pack) or [None])[0]
    conversation = Conversation("explain", (Utterance(who, text),), channel, industry)
    session = Session(library, conversation)
    findings = session.feed(conversation.utterances[0]) + session.close()
    fired = [f for f in findings if f.rule_id == rule_id]
    norm = session.history[0].norm.text
    console.print(
        f"规则 rule {rule_id} v{item.spec.version} ({item.spec.kind}, {item.spec.category})"
    )
    console.print(f"文本 text ({who}, {channel}): {text}", highlight=False, markup=False)
    console.print(f"归一化 normalised: {norm}", highlight=False, markup=False)
    if who not in item.spec.scope.roles:
        console.print(
            f"[yellow]角色 {who} 不在范围内 role not in scope {item.spec.scope.roles}[/yellow]"
        )
    for name, node in explain_rule(compiled, session, 0):
        tree = Tree(f"[bold]{name}[/bold]")
        _grow(tree, node, text)
        console.print(tree)
    if fired:
        for f in fired:
            console.print(
                f"[red]命中 FIRES[/red]: {escape(f.message)} span={f.span} "
                f"'{escape(f.matched or '')}'",
                highlight=False,
            )
    else:
        console.print("[green]未命中 does not fire[/green]")


def _grow(tree: Tree, node: NodeTrace, text: str) -> None:
    mark = "[green]✓[/green]" if node.holds else "[dim]✗[/dim]"
    span = (
        f" [{node.span[0]}, {node.span[1]}) '{escape(text[node.span[0] : node.span[1]])}'"
        if node.span
        else ""
    )
    branch = tree.add(f"{mark} {escape(node.label)}{span}", highlight=False)
    for note in node.notes:
        branch.add(f"[dim]{escape(note)}[/dim]", highlight=False)
    for child in node.children:
        _grow(branch, child, text)


__all__ = ["SHIPPED", "app"]
