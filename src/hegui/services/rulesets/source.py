"""Published packs as a `RuleSource`, and the Inspector the worker runs: shipped packs plus
the published ones, compiled once per content (the catalog's `LibraryCache`)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hegui import __version__
from hegui.catalog import LibraryCache, default_cache
from hegui.db import Database
from hegui.engine.library import RuleError
from hegui.engine.pii import MaskPolicy, PiiDetector
from hegui.errors import Conflict
from hegui.inspector import EngineConfig, Inspector, build_inspector
from hegui.llmcheck import LlmOptions
from hegui.packs import PackError
from hegui.packs.source import LoadedPack, parse_pack
from hegui.services.rulesets.models import RulePackVersion
from hegui.services.rulesets.repository import RuleSetRepository


def loaded_pack(row: RulePackVersion) -> LoadedPack:
    spec, digest = parse_pack(row.text, f"db:{row.pack}@{row.version}")
    return LoadedPack(spec, f"db:{row.pack}@{row.version}", digest)


def published_packs(session: Session) -> list[LoadedPack]:
    return [loaded_pack(row) for row in RuleSetRepository(session).published()]


@dataclass(frozen=True)
class PackList:
    """A fixed list of packs (a snapshot of what was published)."""

    loaded: tuple[LoadedPack, ...]

    def packs(self) -> Sequence[LoadedPack]:
        return self.loaded


class DatabaseRuleSource:
    """The current version of every published pack, read when asked."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def packs(self) -> Sequence[LoadedPack]:
        with self.db.reader() as session:
            return published_packs(session)


@dataclass(frozen=True)
class Rules:
    """An Inspector and what it runs: {"hegui": version, "packs": {pack: version}}."""

    inspector: Inspector
    versions: dict[str, object]


class InspectorProvider:
    """The Inspector for the rules published now; rebuilt only when they change."""

    def __init__(
        self,
        mask: MaskPolicy,
        detector: PiiDetector,
        cache: LibraryCache | None = None,
        llm: LlmOptions | None = None,
    ) -> None:
        """`llm`: the endpoint enabled llm rules ask (without it they do not run)."""
        self.mask = mask
        self.llm = llm
        self.detector = detector
        # The process-wide cache: every platform in a process shares compiled libraries.
        self.cache = cache or default_cache()
        self._lock = threading.Lock()
        self._current: tuple[tuple[tuple[str, int, str], ...], Rules] | None = None

    def current(self, session: Session) -> Rules:
        repo = RuleSetRepository(session)
        key = tuple(repo.published_keys())
        with self._lock:
            if self._current is not None and self._current[0] == key:
                return self._current[1]
            rules = self._build(repo.published())
            self._current = (key, rules)
            return rules

    def _build(self, rows: Sequence[RulePackVersion]) -> Rules:
        try:
            packs = PackList(tuple(loaded_pack(row) for row in rows))
            config = EngineConfig(mask=self.mask, llm=self.llm)
            inspector = build_inspector(
                config, sources=[packs], cache=self.cache, detector=self.detector
            )
        except (PackError, RuleError) as exc:
            raise Conflict(f"已发布的规则包无法编译 published packs do not compile: {exc}") from exc
        versions = {row.pack: row.version for row in rows}
        return Rules(inspector, {"hegui": __version__, "packs": versions})
