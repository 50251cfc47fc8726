"""The rules findings are made by: the shipped packs' and the current version of every
published pack, each with its pack, version, regulation `source` and, once cases about it
are reviewed, its `stats` (precision from confirmed vs dismissed)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from hegui.bootstrap import Platform
from hegui.catalog import ALL_SHIPPED
from hegui.engine.rules.schema import RuleSpec
from hegui.errors import NotFound
from hegui.packs import taxonomy
from hegui.packs.source import ShippedPacks
from hegui.services.rulesets.source import loaded_pack
from hegui.services.rulestats import rule_stats as verdicts

router = APIRouter(prefix="/api/v1/rules", tags=["rules"], responses=documented(401, 403))

Filter = Annotated[str | None, Query(min_length=1, max_length=128, pattern=r"^[a-z0-9_.]+$")]


class RuleStats(BaseModel):
    """Verdicts of the rule's reviewed cases (`docs/ledger.md`)."""

    confirmed: int = Field(description="confirmed on review and not overturned")
    dismissed: int = Field(description="dismissed on review or overturned on appeal")
    upheld: int
    overturned: int
    precision: float | None = Field(description="confirmed / (confirmed + dismissed)")
    noisy: bool = Field(description="precision below the threshold with enough verdicts")
    suggested_exceptions: list[str] = Field(description="phrases common to dismissed cases")


class RuleOut(BaseModel):
    id: str
    pack: str
    version: int = Field(description="the rule's version; every finding records it")
    category: str
    severity: str
    kind: str = Field(description="when | must_say | sequence | count | silence | …")
    enabled: bool
    message: str
    message_en: str | None
    description: str
    source: str | None = Field(description="the regulation the rule enforces")
    origin: str = Field(description="shipped | published")
    pack_version: int | None = Field(description="the published pack's version; null: shipped")
    stats: RuleStats | None = Field(description="null until cases of this rule are reviewed")


class RuleDetail(RuleOut):
    definition: str = Field(description="the rule as YAML (synonyms expanded)")


class RulePage(BaseModel):
    items: list[RuleOut]
    total: int = Field(ge=0)


@router.get("", response_model=RulePage)
def list_rules(
    _user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
    pack: Filter = None,
    category: Filter = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> RulePage:
    """规则列表 Shipped and published rules, by pack then id (any role).

    Filter with `pack` and `category` (a category id or a family such as `privacy`).
    """
    found = [
        entry
        for entry in _rules(platform, session)
        if (pack is None or entry.pack == pack)
        and (category is None or _in_category(entry.rule.category, category))
    ]
    page = found[offset : offset + limit]
    stats = rule_stats(session, [entry.rule.id for entry in page])
    items = [_out(entry, stats.get(entry.rule.id)) for entry in page]
    return RulePage(items=items, total=len(found))


@router.get("/{rule_id}", response_model=RuleDetail, responses=documented(404))
def read_rule(
    rule_id: Annotated[str, Path(min_length=1, max_length=128)],
    _user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
) -> RuleDetail:
    """一条规则 One rule with its definition as YAML (any role)."""
    for entry in _rules(platform, session):
        if entry.rule.id == rule_id:
            out = _out(entry, rule_stats(session, [rule_id]).get(rule_id))
            return RuleDetail(**out.model_dump(), definition=_definition(entry.rule))
    raise NotFound(f"没有这条规则 no rule {rule_id[:128]!r}")


def rule_stats(session: Session, rule_ids: Sequence[str]) -> dict[str, RuleStats]:
    """Verdicts of the rules' reviewed cases (`hegui.services.rulestats`); absent: none yet."""
    one = rule_ids[0] if len(rule_ids) == 1 else None
    found = verdicts(session, one)
    return {rid: RuleStats.model_validate(found[rid]) for rid in rule_ids if rid in found}


@dataclass(frozen=True, slots=True)
class Entry:
    pack: str
    rule: RuleSpec
    pack_version: int | None  # None: shipped


@functools.cache
def shipped() -> tuple[Entry, ...]:
    """The shipped packs do not change while the process runs: read them once."""
    packs = ShippedPacks(ALL_SHIPPED).packs()
    return tuple(Entry(p.name, rule, None) for p in packs for rule in p.spec.rules)


@functools.cache
def default_severities() -> dict[str, str]:
    tax = taxonomy()
    return {cid: tax.default_severity(cid) for cid in tax.categories}


def _rules(platform: Platform, session: Session) -> list[Entry]:
    published = [
        Entry(row.pack, rule, row.version)
        for row in platform.rulesets.published(session)
        for rule in loaded_pack(row).spec.rules
    ]
    return [*shipped(), *published]


def _in_category(category: str, wanted: str) -> bool:
    return category == wanted or category.startswith(f"{wanted}.")


def _out(entry: Entry, stats: RuleStats | None) -> RuleOut:
    rule = entry.rule
    return RuleOut(
        id=rule.id,
        pack=entry.pack,
        version=rule.version,
        category=rule.category,
        severity=rule.severity or default_severities().get(rule.category, "medium"),
        kind=rule.kind,
        enabled=rule.enabled,
        message=rule.message,
        message_en=rule.message_en,
        description=rule.description,
        source=rule.source,
        origin="shipped" if entry.pack_version is None else "published",
        pack_version=entry.pack_version,
        stats=stats,
    )


def _definition(rule: RuleSpec) -> str:
    data: dict[str, Any] = rule.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
