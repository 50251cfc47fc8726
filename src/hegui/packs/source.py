"""Where rule packs come from: the shipped packs, users' rule files, later the database.

Every source yields `LoadedPack`s that carry a digest of their content, so a compiled
library can be cached by what its packs say rather than by what they are called.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hegui.engine.rules.schema import PackSpec
from hegui.packs import PackError, load_pack_text, pack_files, packs_applicable, safe_yaml


@dataclass(frozen=True, slots=True)
class LoadedPack:
    """A validated pack, where it came from, and the digest of its text."""

    spec: PackSpec
    origin: str
    digest: str
    shipped: bool = False

    @property
    def name(self) -> str:
        return self.spec.pack

    def applies_to(self, industry: str) -> bool:
        """A pack that names `industries:` applies to those alone; one that names none, to all."""
        return packs_applicable(self.spec, industry)


class RuleSource(Protocol):
    """Anything that supplies rule packs."""

    def packs(self) -> Sequence[LoadedPack]: ...


PARSED_CACHE = 256
_parsed: OrderedDict[str, PackSpec] = OrderedDict()
_parsed_lock = threading.Lock()


def parse_pack(text: str, origin: str) -> tuple[PackSpec, str]:
    """Validate a pack's text (cached by content); returns the spec and its digest."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    with _parsed_lock:
        spec = _parsed.get(digest)
        if spec is not None:
            _parsed.move_to_end(digest)
    if spec is None:
        spec = load_pack_text(text, origin)
        with _parsed_lock:
            _parsed[digest] = spec
            while len(_parsed) > PARSED_CACHE:
                _parsed.popitem(last=False)
    return spec, digest


def _read(path: Path) -> str:
    try:
        return safe_yaml.read_text(path)  # bounded, UTF-8 checked: files come from anyone
    except safe_yaml.UnsafeYaml as exc:
        raise PackError(str(exc)) from None
    except OSError as exc:
        raise PackError(f"{path}: 无法读取 cannot read: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class ShippedPacks:
    """Packs shipped inside hegui, by name."""

    names: tuple[str, ...]

    def packs(self) -> Sequence[LoadedPack]:
        loaded = []
        for path in pack_files(self.names):
            spec, digest = parse_pack(_read(path), path.name)
            loaded.append(LoadedPack(spec, f"hegui:{path.name}", digest, shipped=True))
        return loaded


@dataclass(frozen=True)
class RuleFiles:
    """A user's YAML rule files: files, or folders of *.yaml / *.yml."""

    paths: tuple[Path, ...]

    @classmethod
    def of(cls, paths: Iterable[str | Path]) -> RuleFiles:
        return cls(tuple(Path(p) for p in paths))

    def packs(self) -> Sequence[LoadedPack]:
        loaded = []
        for path in pack_files((), self.paths):
            spec, digest = parse_pack(_read(path), str(path))
            loaded.append(LoadedPack(spec, str(path), digest))
        return loaded
