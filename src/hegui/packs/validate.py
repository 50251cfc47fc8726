"""Rule sources checked the way inspection will combine them, before it starts.

`validate_rule_sources` loads your rule files and the shipped packs exactly as
inspection does, and lists every problem that would stop it (or silently change what
it does) with file:line and rule id: a file that does not load (YAML, limits, schema,
regex), an id used twice among your files, an id that collides with an enabled shipped
rule compiled into the same library, an unknown taxonomy category.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hegui.engine.rules.schema import RuleSpec
from hegui.packs import (
    SHIPPED,
    LocatedPack,
    PackError,
    load_located,
    pack_files,
    packs_for_industry,
    taxonomy,
)


@dataclass(frozen=True, slots=True)
class Problem:
    level: str  # "error" | "warning"
    rule_id: str
    message: str
    where: str = ""  # file:line, when known

    def __str__(self) -> str:
        head = " ".join(part for part in (self.where, self.rule_id) if part)
        return f"{head}: {self.message}" if head else self.message


@dataclass(frozen=True, slots=True)
class Located:
    """One rule of a loaded pack."""

    pack: LocatedPack
    index: int
    shipped: bool

    @property
    def spec(self) -> RuleSpec:
        return self.pack.spec.rules[self.index]

    @property
    def where(self) -> str:
        return self.pack.where(self.index)


class SourcesInvalid(PackError):
    """Rule sources with problems; the message lists them all, one per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n  ".join(str(p) for p in problems)
        super().__init__(f"规则有误，无法检查 / rules have problems, cannot inspect:\n  {lines}")


def validate_rule_sources(
    rules_dirs: Iterable[Path] = (),
    *,
    packs: Sequence[str] | None = None,
    industry: str | None = None,
) -> list[Problem]:
    """Every error that would stop (or silently change) an inspection with these sources.

    The arguments mean what they mean to the Inspector (`EngineConfig`): `rules_dirs`
    your rule files or folders; `packs` the shipped packs to use (None: by industry);
    `industry` a fixed industry (None: each conversation's own, so all shipped packs)."""
    try:
        paths = pack_files((), rules_dirs)
        names = _shipped_names(packs, industry)
        shipped = [load_located(path) for path in pack_files(names)]
    except PackError as exc:
        return [Problem("error", "", str(exc))]
    problems: list[Problem] = []
    user = list(_load_each(paths, problems))
    yours = [Located(p, i, False) for p in user for i in range(len(p.spec.rules))]
    theirs = [Located(p, i, True) for p in shipped for i in range(len(p.spec.rules))]
    problems.extend(_pack_names(user))
    problems.extend(_user_duplicates(yours))
    label = f"packs {','.join(names)}"
    problems.extend(_clash(rule, earlier, label) for rule, earlier in _collisions(theirs + yours))
    problems.extend(_categories(theirs + yours))
    return problems


def _load_each(paths: Sequence[Path], problems: list[Problem]) -> Iterator[LocatedPack]:
    for path in paths:
        try:
            yield load_located(path)
        except PackError as exc:
            problems.append(Problem("error", "", str(exc)))


def require_valid_sources(
    rules_dirs: Iterable[Path] = (),
    *,
    packs: Sequence[str] | None = None,
    industry: str | None = None,
) -> None:
    """`validate_rule_sources`, raising SourcesInvalid (a PackError) listing every problem."""
    problems = validate_rule_sources(rules_dirs, packs=packs, industry=industry)
    if problems:
        raise SourcesInvalid(problems)


def _shipped_names(packs: Sequence[str] | None, industry: str | None) -> tuple[str, ...]:
    """The shipped packs compiled into one library with yours, as the Inspector's catalog
    does: those named, else the industry's, else all of them (each conversation's
    industry then picks among them; your packs are compiled in whatever they apply to)."""
    if industry is not None:
        packs_for_industry(industry)  # an unknown industry is refused here
    if packs is not None:
        return tuple(packs)
    return packs_for_industry(industry) if industry is not None else SHIPPED


def _pack_names(user: Sequence[LocatedPack]) -> Iterator[Problem]:
    for pack in user:
        if pack.spec.pack in SHIPPED:
            yield Problem(
                "error",
                "",
                f"包名与内置规则包相同 pack name {pack.spec.pack!r} is a shipped pack's; "
                "choose your own",
                f"{pack.source}:1",
            )


def _user_duplicates(yours: Sequence[Located]) -> Iterator[Problem]:
    first: dict[str, Located] = {}
    for rule in yours:
        earlier = first.setdefault(rule.spec.id, rule)
        if earlier is not rule:
            yield Problem(
                "error",
                rule.spec.id,
                f"规则编号重复 duplicate rule id: also at {earlier.where}",
                rule.where,
            )


def _collisions(rules: Sequence[Located]) -> Iterator[tuple[Located, Located]]:
    """What the rule library refuses — two enabled rules with one id — and a disabled copy
    of an enabled shipped rule, which does not switch it off as its author expects.
    Two of your own rules with one id are reported once, by `_user_duplicates`."""
    enabled: dict[str, Located] = {}
    for rule in rules:
        if rule.spec.enabled:
            earlier = enabled.setdefault(rule.spec.id, rule)
            if earlier is not rule and (rule.shipped or earlier.shipped):
                yield rule, earlier
    for rule in rules:
        shipped = enabled.get(rule.spec.id)
        if not rule.shipped and not rule.spec.enabled and shipped and shipped.shipped:
            yield rule, shipped


def _clash(rule: Located, earlier: Located, label: str) -> Problem:
    pack = earlier.pack.spec.pack
    if not rule.spec.enabled:
        what = (
            f"停用的副本关不掉内置规则包 {pack} 的同名规则 / a disabled copy does not switch "
            f"off the shipped rule of pack '{pack}'"
        )
    else:
        what = f"规则编号与规则包 {pack} 冲突 / id collides with a rule of pack '{pack}'"
    return Problem(
        "error",
        rule.spec.id,
        f"{what} at {earlier.where} (compiled together: {label}); 请改用其他编号 choose another id",
        rule.where,
    )


def _categories(rules: Sequence[Located]) -> Iterator[Problem]:
    known = taxonomy()
    for rule in rules:
        if rule.spec.category not in known:
            yield Problem(
                "error",
                rule.spec.id,
                f"未知类别 unknown category {rule.spec.category!r} (see taxonomy.yaml)",
                rule.where,
            )
