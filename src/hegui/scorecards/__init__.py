"""Scorecards (质检评分卡): YAML read and validated with errors naming file, line and
field; the shipped card of each industry; choosing a conversation's card (see
docs/scorecards.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hegui.packs import safe_yaml, taxonomy
from hegui.scorecards.schema import ScorecardSpec, unknown_categories
from hegui.scorecards.scoring import Score, Scoreable, score

__all__ = [
    "Score",
    "Scoreable",
    "ScorecardError",
    "ScorecardSpec",
    "Scorecards",
    "load_file",
    "parse",
    "score",
    "shipped",
]

DEFAULT = "general"


class ScorecardError(ValueError):
    """A scorecard that cannot be used; the message names the file, line and field."""


def parse(text: str, source: str) -> ScorecardSpec:
    """Validate a scorecard: schema, taxonomy categories, and its examples' scores."""
    root, data = _read(text, source)
    try:
        spec = ScorecardSpec.model_validate(data)
    except ValidationError as exc:
        raise ScorecardError(_explain(exc, root, source)) from None
    problems = [
        (f"{section}.{index}.categories", f"未知类别 unknown category {category!r}")
        for section, index, category in unknown_categories(spec, taxonomy())
    ]
    problems += _failed_examples(spec)
    if problems:
        lines = [f"{_where(root, source, loc)} {loc}: {msg}" for loc, msg in problems[:8]]
        raise ScorecardError("评分卡校验失败 / invalid scorecard:\n  " + "\n  ".join(lines))
    return spec


def load_file(path: Path) -> ScorecardSpec:
    try:
        text = safe_yaml.read_text(path)
    except safe_yaml.UnsafeYaml as exc:
        raise ScorecardError(str(exc)) from None
    except OSError as exc:
        raise ScorecardError(f"{path}: 无法读取 cannot read: {exc.strerror or exc}") from None
    return parse(text, str(path))


@lru_cache(maxsize=1)
def shipped() -> tuple[ScorecardSpec, ...]:
    """The package's cards, one per industry (`general` for the rest)."""
    folder = resources.files("hegui.scorecards")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return tuple(
        parse(folder.joinpath(n).read_text("utf-8"), f"hegui/scorecards/{n}") for n in names
    )


class Scorecards:
    """The cards in use: a card naming a conversation's team wins, then one naming its
    industry, then `general`. Cards given later replace shipped ones of the same name."""

    def __init__(self, cards: Iterable[ScorecardSpec]) -> None:
        self.by_name = {card.scorecard: card for card in cards}
        if DEFAULT not in self.by_name:
            raise ScorecardError(f"缺少默认评分卡 no {DEFAULT!r} scorecard")
        self.by_team: dict[str, ScorecardSpec] = {}
        self.by_industry: dict[str, ScorecardSpec] = {}
        for card in self.by_name.values():
            _claim(self.by_team, card.applies_to.teams, card, "team")
            _claim(self.by_industry, card.applies_to.industries, card, "industry")

    @classmethod
    def load(cls, folder: Path | None = None) -> Scorecards:
        """Shipped cards, plus every `*.yaml` in `folder` (the institution's own)."""
        if folder is not None and not folder.is_dir():
            raise ScorecardError(f"{folder}: 不是目录 not a folder of scorecard YAML files")
        own = [load_file(p) for p in sorted(folder.glob("*.yaml"))] if folder else []
        return cls([*shipped(), *own])

    def for_conversation(self, industry: str | None, team: str | None) -> ScorecardSpec:
        if team is not None and team in self.by_team:
            return self.by_team[team]
        if industry is not None and industry in self.by_industry:
            return self.by_industry[industry]
        return self.by_name[DEFAULT]

    def all(self) -> list[ScorecardSpec]:
        return sorted(self.by_name.values(), key=lambda card: card.scorecard)


def _claim(
    claimed: dict[str, ScorecardSpec], keys: Sequence[str], card: ScorecardSpec, what: str
) -> None:
    for key in keys:
        other = claimed.setdefault(key, card)
        if other is not card:
            raise ScorecardError(
                f"评分卡 {other.scorecard} 与 {card.scorecard} 都适用于 both scorecards apply to "
                f"{what} {key!r}"
            )


def _failed_examples(spec: ScorecardSpec) -> list[tuple[str, str]]:
    out = []
    for index, example in enumerate(spec.examples):
        found = [
            Scoreable(i, f.rule_id, f.category, f.severity) for i, f in enumerate(example.findings)
        ]
        got = score(spec, found).score
        if abs(got - example.score) > 0.005:
            out.append(
                (
                    f"examples.{index}.score",
                    f"示例得分不符 the card scores this example {got:g}, not {example.score:g}",
                )
            )
    return out


def _read(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    try:
        root = safe_yaml.compose(text, source)
        data = safe_yaml.construct(root) if root is not None else None
    except safe_yaml.UnsafeYaml as exc:
        raise ScorecardError(str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise ScorecardError(f"{where}: YAML 语法错误 syntax error: {exc}") from None
    except Exception as exc:  # a constructor on a hostile scalar
        raise ScorecardError(f"{source}: YAML 值无法解析 bad value: {exc}") from None
    if not isinstance(data, dict):
        raise ScorecardError(
            f"{source}: 评分卡必须是映射 a scorecard must be a mapping with 'scorecard' and 'items'"
        )
    return root, data


def _explain(exc: ValidationError, root: yaml.Node | None, source: str) -> str:
    lines = []
    for error in exc.errors()[:8]:
        loc = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{_where(root, source, loc)} {loc or '(top)'}: {message}")
    more = len(exc.errors()) - 8
    if more > 0:
        lines.append(f"… 另有 {more} 处错误 / {more} more errors")
    return "评分卡校验失败 / invalid scorecard:\n  " + "\n  ".join(lines)


def _where(root: yaml.Node | None, source: str, loc: str) -> str:
    """`source:line` of the deepest node of `loc` (`items.2.weight`) the YAML has."""
    node, line = root, root.start_mark.line + 1 if root is not None else None
    for part in loc.split(".") if loc else []:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == part]
            node = match[0] if match else None
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return f"{source}:{line}:" if line else f"{source}:"
