"""The scorecard language (质检评分卡): pydantic models a scorecard YAML is validated against.

A scorecard starts every conversation at 100 points. Items deduct per finding they cover,
up to their weight; a fatal item's finding sets the score to 0; bonus items add points
for a category absent (or a positive signal present), never above 100.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hegui.engine.taxonomy import Taxonomy
from hegui.engine.vocabulary import Industry, Severity

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
FULL_MARKS = 100.0


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(Strict):
    """Which findings an item covers: its rules or categories (`compliance.*`: a whole
    group), optionally only of some severities."""

    rules: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _rule_ids(cls, rules: list[str]) -> list[str]:
        for rule in rules:
            if not RULE_ID.match(rule):
                raise ValueError(f"规则编号格式错误 not a rule id: {rule!r}")
        return rules

    @model_validator(mode="after")
    def _something(self) -> Selector:
        if not self.rules and not self.categories:
            raise ValueError("须指定 rules 或 categories / give rules or categories")
        return self

    def covers(self, rule_id: str, category: str, severity: str) -> bool:
        if self.severities and severity not in self.severities:
            return False
        return rule_id in self.rules or any(_category_match(p, category) for p in self.categories)


def _category_match(pattern: str, category: str) -> bool:
    if pattern.endswith(".*"):
        return category.startswith(pattern[:-1])
    return category == pattern


class Entry(Selector):
    """An item of a scorecard: its id (cited by every score) and its title."""

    id: str
    title: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ITEM_ID.match(value):
            raise ValueError(f"编号须为小写字母数字 id must be lower-case [a-z0-9_.-]: {value!r}")
        return value


class Item(Entry):
    """A deduction item: `deduct` points per finding (default: its weight), at most `weight`."""

    weight: float = Field(gt=0, le=FULL_MARKS)
    deduct: float | None = Field(default=None, gt=0)

    @property
    def per_finding(self) -> float:
        return self.deduct if self.deduct is not None else self.weight


class Fatal(Entry):
    """Any finding it covers scores the conversation 0 (一票否决)."""


class Bonus(Entry):
    """`points` added when no finding it covers is present (`when: absent`), or when one is
    (`when: present`: a positive signal such as a rule that marks a compliment)."""

    points: float = Field(gt=0, le=FULL_MARKS)
    when: Literal["absent", "present"] = "absent"


class AppliesTo(Strict):
    industries: list[Industry] = Field(default_factory=list)
    teams: list[str] = Field(default_factory=list)


class ExampleFinding(Strict):
    rule_id: str
    category: str
    severity: Severity


class Example(Strict):
    """Findings and the score the card must give them (checked by `hegui scorecard lint`)."""

    name: str = ""
    findings: list[ExampleFinding] = Field(default_factory=list)
    score: float = Field(ge=0, le=FULL_MARKS)


class ScorecardSpec(Strict):
    scorecard: str
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    items: list[Item] = Field(min_length=1)
    fatal: list[Fatal] = Field(default_factory=list)
    bonus: list[Bonus] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    @field_validator("scorecard")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError(f"名称须为小写字母数字 name must be lower-case [a-z0-9_.-]: {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardSpec:
        total = sum(item.weight for item in self.items)
        if total > FULL_MARKS + 1e-9:
            raise ValueError(f"各项权重之和 {total:g} 超过 100 / item weights add up to {total:g}")
        ids = [x.id for x in (*self.items, *self.fatal, *self.bonus)]
        duplicate = sorted({i for i in ids if ids.count(i) > 1})
        if duplicate:
            raise ValueError(f"编号重复 duplicate item ids: {', '.join(duplicate)}")
        return self


def unknown_categories(spec: ScorecardSpec, taxonomy: Taxonomy) -> list[tuple[str, int, str]]:
    """(section, index, category) for every category the taxonomy does not know."""
    groups = {cid.split(".", 1)[0] for cid in taxonomy}
    out: list[tuple[str, int, str]] = []
    sections: dict[str, Sequence[Entry]] = {
        "items": spec.items,
        "fatal": spec.fatal,
        "bonus": spec.bonus,
    }
    for section, entries in sections.items():
        for index, entry in enumerate(entries):
            for category in entry.categories:
                known = category[:-2] in groups if category.endswith(".*") else category in taxonomy
                if not known:
                    out.append((section, index, category))
    return out
