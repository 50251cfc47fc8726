"""`hegui rules list|show|lint|test|explain`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from hegui.engine.explain import NodeTrace, explain_rule
from hegui.engine.library import PackedRule, RuleError, RuleLibrary
from hegui.engine.model import Conversation, Utterance
from hegui.engine.session import Session
from hegui.lexicon import default_lexicon
from hegui.packs import (
    SHIPPED,
    PackError,
    available_packs,
    load_pack_file,
    pack_files,
    taxonomy,
)
from hegui.packs.lint import lint_rules
from hegui.packs.testing import RuleReport, run_examples, switched_on

app = typer.Typer(
    help="规则包管理与测试 Rule packs: list, show, lint, test, explain.", no_args_is_help=True
)
console = Console(width=None if __import__("sys").stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True, highlight=False)

PackOpt = Annotated[
    list[str] | None, typer.Option("--pack", help="规则包（可多次）pack name (repeatable)")
]
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="自定义规则目录 your own rules folder/file")
]


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
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    return packed, industries


def _library(packed: list[PackedRule], backend: str = "auto") -> RuleLibrary:
    try:
        return RuleLibrary(
            packed, taxonomy(), backend=backend, lexicon=default_lexicon(), dedupe=False
        )
    except RuleError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc


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
            spec.id, str(spec.version), spec.category, severity, spec.kind, on, spec.message
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
            console.print(f"# pack: {item.pack}")
            console.print(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), highlight=False
            )
            return
    err.print(f"[red]没有这条规则 no rule {rule_id!r}[/red]")
    raise typer.Exit(2)


@app.command("lint")
def lint(pack: PackOpt = None, rules: RulesOpt = None) -> None:
    """检查规则 Check rules: schema, taxonomy, ids, examples, patterns."""
    packed, _ = _load(pack, rules)
    problems = lint_rules(packed, taxonomy())
    for problem in problems:
        colour = "red" if problem.level == "error" else "yellow"
        console.print(
            f"[{colour}]{problem.level}[/{colour}] {problem.rule_id}: {problem.message}",
            highlight=False,
        )
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
    library = _library(switched_on(packed), backend)
    reports = run_examples(packed, library, industries)
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
                f"[red]✗ {r.rule_id}[/red] example {f.number} ({want}): {f.text}", highlight=False
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
        err.print(f"[red]没有这条规则 no rule {rule_id!r}[/red]")
        raise typer.Exit(2)
    item = chosen[0]
    library = _library(chosen)
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
                f"[red]命中 FIRES[/red]: {f.message} span={f.span} '{f.matched or ''}'",
                highlight=False,
            )
    else:
        console.print("[green]未命中 does not fire[/green]")


def _grow(tree: Tree, node: NodeTrace, text: str) -> None:
    mark = "[green]✓[/green]" if node.holds else "[dim]✗[/dim]"
    span = (
        f" [{node.span[0]}, {node.span[1]}) '{text[node.span[0] : node.span[1]]}'"
        if node.span
        else ""
    )
    branch = tree.add(f"{mark} {node.label}{span}", highlight=False)
    for note in node.notes:
        branch.add(f"[dim]{note}[/dim]", highlight=False)
    for child in node.children:
        _grow(branch, child, text)


__all__ = ["SHIPPED", "app"]
