"""The compiled rules an Inspector runs: ONE library holding every pack it may need, and
which packs apply to a conversation of each industry. Compiled libraries are cached by
the content of their packs, so the same rules are never compiled twice in a process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

from hegui.engine.library import ModelOpinion, PackedRule, Routes, RuleLibrary
from hegui.engine.model import INDUSTRIES, Conversation
from hegui.engine.pii import LeakPolicy, PiiDetector
from hegui.engine.rules import conditions as c
from hegui.engine.textmodel import IntentScorer
from hegui.errors import Invalid
from hegui.models import semantic_model
from hegui.packs import INDUSTRY_PACKS, PackError, taxonomy
from hegui.packs.source import LoadedPack, RuleSource, ShippedPacks

DEFAULT_INDUSTRY = "general"
# Every shipped pack, industry packs first: the earlier rule wins when two find the same
# (the semantic pack last: a keyword rule's exact span wins over the model's utterance).
ALL_SHIPPED = (
    "securities",
    "banking",
    "insurance",
    "lending",
    "general",
    "privacy",
    "service",
    "semantic",
)


class LibraryCache:
    """Compiled libraries by content key; thread-safe, least recently used dropped first."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, RuleLibrary] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], RuleLibrary]) -> RuleLibrary:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                found = self._items[key] = build()
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return found


_default_cache = LibraryCache()


def default_cache() -> LibraryCache:
    return _default_cache


@dataclass(frozen=True)
class Catalog:
    """One compiled library and the routes of each industry's packs through it."""

    library: RuleLibrary
    by_industry: Mapping[str, Routes]
    industry: str | None = None  # forced: every conversation is read as this industry

    def routes_for(self, conversation: Conversation) -> Routes:
        industry = self.industry or conversation.industry or DEFAULT_INDUSTRY
        routes = self.by_industry.get(industry)
        if routes is None:  # a Conversation built in Python skips the JSONL reader's check
            raise Invalid(
                "industry", f"未知行业 unknown industry {industry!r:.40}; one of {INDUSTRIES}"
            )
        return routes

    def packs_for(self, industry: str) -> frozenset[str]:
        """The pack groups that apply to a conversation of `industry`."""
        return self.by_industry[industry].packs or frozenset(self.library.packs)


@dataclass(frozen=True)
class EngineParts:
    """What the catalog's library is compiled with."""

    backend: str = "auto"
    detector: PiiDetector | None = None
    leak_policy: LeakPolicy | None = None
    lexicon: c.Lexicon | None = None
    semantic: IntentScorer | None = None  # scores `semantic:` conditions
    opinion: ModelOpinion | None = None  # the model's second opinion (off: None)


def build_catalog(
    *,
    industry: str | None = None,
    packs: Sequence[str] | None = None,
    sources: Sequence[RuleSource] = (),
    parts: EngineParts | None = None,
    cache: LibraryCache | None = None,
) -> Catalog:
    """`packs`: shipped packs for every conversation (default: by industry); `sources`:
    users' packs, each applying to the industries it names (all when it names none)."""
    parts = parts or EngineParts()
    if parts.semantic is None:  # the shipped intent model scores `semantic:` conditions
        parts = replace(parts, semantic=semantic_model())
    if industry is not None and industry not in INDUSTRY_PACKS:
        choices = ", ".join(INDUSTRY_PACKS)
        raise PackError(f"未知行业 unknown industry {industry!r}; choose from {choices}")
    shipped_names = tuple(packs) if packs is not None else _shipped_for(industry)
    shipped = ShippedPacks(shipped_names).packs()
    extra = [pack for source in sources for pack in source.packs()]
    loaded = list(shipped) + extra
    groups = [f"{i}:{pack.name}" for i, pack in enumerate(loaded)]
    key = (
        tuple(pack.digest for pack in loaded),
        parts.backend,
        repr(parts.leak_policy),
        id(parts.detector),
        id(parts.lexicon),
        id(parts.semantic),
        parts.opinion,
    )
    library = (cache or _default_cache).get(key, lambda: _compile(loaded, groups, parts))
    routes = {
        ind: library.routes(_groups_for(ind, loaded, groups, packs is not None))
        for ind in INDUSTRIES
    }
    return Catalog(library, routes, industry)


def _shipped_for(industry: str | None) -> tuple[str, ...]:
    if industry is not None:
        return INDUSTRY_PACKS[industry]
    return ALL_SHIPPED


def _groups_for(
    industry: str, loaded: Sequence[LoadedPack], groups: Sequence[str], forced: bool
) -> frozenset[str]:
    wanted = set(INDUSTRY_PACKS[industry])
    chosen = set()
    for pack, group in zip(loaded, groups, strict=True):
        if (pack.shipped and (forced or pack.name in wanted)) or (
            not pack.shipped and pack.applies_to(industry)
        ):
            chosen.add(group)
    return frozenset(chosen)


def _compile(
    loaded: Sequence[LoadedPack], groups: Sequence[str], parts: EngineParts
) -> RuleLibrary:
    rules = [
        PackedRule(pack.name, spec, group)
        for pack, group in zip(loaded, groups, strict=True)
        for spec in pack.spec.rules
    ]
    return RuleLibrary(
        rules,
        taxonomy(),
        backend=parts.backend,
        pii_detector=parts.detector,
        lexicon=parts.lexicon,
        leak_policy=parts.leak_policy,
        semantic=parts.semantic,
        opinion=parts.opinion,
    )
