"""Shipped rule packs (YAML package data) and loading of packs from anywhere.

Errors name the file, the line and the field, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hegui.engine.library import PackedRule
from hegui.engine.rules.schema import PackSpec
from hegui.engine.taxonomy import Taxonomy

SHIPPED = ("securities", "banking", "insurance", "lending", "privacy", "service", "general")
INDUSTRY_PACKS: dict[str, tuple[str, ...]] = {
    "securities": ("securities", "general", "privacy", "service"),
    "banking": ("banking", "general", "privacy", "service"),
    "insurance": ("insurance", "general", "privacy", "service"),
    "lending": ("lending", "general", "privacy", "service"),
    "general": ("general", "privacy", "service"),
}


class PackError(ValueError):
    """A rule pack that cannot be loaded; the message names file, line and field."""


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    text = resources.files("hegui").joinpath("spec/taxonomy.yaml").read_text("utf-8")
    return Taxonomy.from_mapping(yaml.safe_load(text))


def shipped_path(name: str) -> Path:
    return Path(str(resources.files("hegui.packs").joinpath(f"{name}.yaml")))


def available_packs() -> list[str]:
    return [name for name in SHIPPED if shipped_path(name).exists()]


def packs_for_industry(industry: str | None) -> tuple[str, ...]:
    key = industry or "general"
    if key not in INDUSTRY_PACKS:
        choices = ", ".join(INDUSTRY_PACKS)
        raise PackError(f"未知行业 unknown industry {industry!r}; choose from {choices}")
    return tuple(p for p in INDUSTRY_PACKS[key] if shipped_path(p).exists())


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime: float) -> PackSpec:
    return load_pack_text(Path(path).read_text("utf-8"), path)


def load_pack_file(path: Path) -> PackSpec:
    try:
        return _load_cached(str(path), path.stat().st_mtime)
    except OSError as exc:
        raise PackError(f"{path}: 无法读取 cannot read: {exc}") from exc


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_pack_text(text: str, source: str) -> PackSpec:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise PackError(f"{where}: YAML 语法错误 syntax error: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(
            f"{source}: 规则包必须是映射 a pack must be a mapping with 'pack' and 'rules'"
        )
    try:
        return PackSpec.model_validate(data)
    except ValidationError as exc:
        root = yaml.compose(text, Loader=_Loader)  # only now: node positions for the message
        raise PackError(_explain(exc, data, root, source)) from exc


def _explain(exc: ValidationError, data: dict[str, Any], root: Any, source: str) -> str:
    lines = []
    for error in exc.errors()[:8]:
        loc = tuple(error["loc"])
        line = _line_of(root, loc)
        where = f"{source}:{line}" if line else source
        rule = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = data.get("rules") or []
            if loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
                rule = f" [{rules[loc[1]].get('id', '?')}]"
        field = ".".join(str(part) for part in loc)
        lines.append(f"{where}{rule} {field}: {error['msg']}")
    more = len(exc.errors()) - 8
    if more > 0:
        lines.append(f"… 另有 {more} 处错误 / {more} more errors")
    return "规则包校验失败 / invalid rule pack:\n  " + "\n  ".join(lines)


def _line_of(node: Any, loc: Sequence[Any]) -> int | None:
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == part]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def pack_files(names: Iterable[str] = (), rules_dirs: Iterable[Path] = ()) -> list[Path]:
    files = []
    for name in names:
        path = shipped_path(name)
        if not path.exists():
            raise PackError(f"没有这个规则包 no such pack {name!r}; shipped: {', '.join(SHIPPED)}")
        files.append(path)
    for folder in rules_dirs:
        if folder.is_file():
            files.append(folder)
            continue
        if not folder.is_dir():
            raise PackError(f"{folder}: 目录不存在 no such rules folder")
        files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    return files


def load_rules(names: Iterable[str] = (), rules_dirs: Iterable[Path] = ()) -> list[PackedRule]:
    """Every rule of the named shipped packs and of the YAML files in `rules_dirs`."""
    packed: list[PackedRule] = []
    for path in pack_files(names, rules_dirs):
        spec = load_pack_file(path)
        packed.extend(PackedRule(spec.pack, rule) for rule in spec.rules)
    return packed
