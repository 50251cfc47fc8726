"""Shipped rule packs (YAML package data) and loading of packs from anywhere.

Errors name the file, the line and the field, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hegui.engine.library import PackedRule
from hegui.engine.rules.schema import PackSpec
from hegui.engine.taxonomy import Taxonomy
from hegui.packs import safe_yaml

SHIPPED = (
    "securities",
    "banking",
    "insurance",
    "lending",
    "privacy",
    "service",
    "general",
    "semantic",
)
# An industry's packs, in the order their rules win ties (the semantic pack last).
INDUSTRY_PACKS: dict[str, tuple[str, ...]] = {
    "securities": ("securities", "general", "privacy", "service", "semantic"),
    "banking": ("banking", "general", "privacy", "service", "semantic"),
    "insurance": ("insurance", "general", "privacy", "service", "semantic"),
    "lending": ("lending", "general", "privacy", "service", "semantic"),
    "general": ("general", "privacy", "service", "semantic"),
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


def packs_applicable(pack: PackSpec, industry: str | None) -> bool:
    """Whether a pack's rules apply to a conversation of `industry` (None: general).

    A pack without `industries:` applies to every industry; one with a list applies to
    those only. (Shipped packs are chosen by INDUSTRY_PACKS; this is for your packs.)"""
    return not pack.industries or (industry or "general") in pack.industries


@dataclass(frozen=True, slots=True)
class LocatedPack:
    """A validated pack and where it came from: its file and each rule's line."""

    source: str
    spec: PackSpec
    rule_lines: tuple[int, ...]

    def where(self, index: int) -> str:
        return f"{self.source}:{self.rule_lines[index]}"


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> LocatedPack:
    try:
        text = safe_yaml.read_text(Path(path))
    except safe_yaml.UnsafeYaml as exc:
        raise PackError(str(exc)) from None
    return parse_located(text, path)


def load_located(path: Path) -> LocatedPack:
    """Read and validate one pack file; PackError names the file, line and field."""
    try:
        stat = path.stat()
        return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise PackError(f"{path}: 无法读取 cannot read: {exc.strerror or exc}") from None


def load_pack_file(path: Path) -> PackSpec:
    return load_located(path).spec


def load_pack_text(text: str, source: str) -> PackSpec:
    return parse_located(text, source).spec


def parse_located(text: str, source: str) -> LocatedPack:
    """Parse YAML within the size, depth and alias limits, then validate the schema."""
    try:
        root = safe_yaml.compose(text, source)
        data = safe_yaml.construct(root) if root is not None else None
    except safe_yaml.UnsafeYaml as exc:
        raise PackError(str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        detail = str(exc).replace('"<unicode string>"', source)
        raise PackError(f"{where}: YAML 语法错误 syntax error: {detail}") from None
    except Exception as exc:  # a constructor on a hostile scalar: 2024-13-45, !!int x
        raise PackError(f"{source}: YAML 值无法解析 bad value: {exc}") from None
    if not isinstance(data, dict):
        raise PackError(
            f"{source}: 规则包必须是映射 a pack must be a mapping with 'pack' and 'rules'"
        )
    try:
        spec = PackSpec.model_validate(data)
    except ValidationError as exc:
        raise PackError(_explain(exc, data, root, source)) from None
    return LocatedPack(source, spec, _rule_lines(root, len(spec.rules)))


def _rule_lines(root: Any, count: int) -> tuple[int, ...]:
    line = _line_of(root, ("rules",)) or 1
    items = [v for k, v in root.value if getattr(k, "value", None) == "rules"]
    nodes = items[0].value if items and isinstance(items[0], yaml.SequenceNode) else []
    lines = [n.start_mark.line + 1 for n in nodes[:count]]
    return tuple(lines + [line] * (count - len(lines)))


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
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}{rule} {field}: {message}")
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
        files.extend(_files_in(folder))
    return files


def _files_in(folder: Path) -> list[Path]:
    """A rules file, or a folder's *.yaml and *.yml files; never a FIFO or device,
    whose reading could block."""
    try:
        if folder.is_file():
            return [folder]
        if not folder.exists():
            raise PackError(f"{folder}: 路径不存在 no such file or folder")
        if not folder.is_dir():
            raise PackError(f"{folder}: 不是规则文件或目录 not a rules file or folder")
        found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        odd = [p for p in found if not p.is_file()]
    except OSError as exc:
        raise PackError(f"{folder}: 无法读取 cannot read: {exc.strerror or exc}") from None
    if odd:
        raise PackError(f"{odd[0]}: 不是普通文件 not a regular file (folder, device, broken link)")
    if not found:
        raise PackError(f"{folder}: 目录中没有规则文件 no *.yaml or *.yml rule files in it")
    return found


def load_rules(names: Iterable[str] = (), rules_dirs: Iterable[Path] = ()) -> list[PackedRule]:
    """Every rule of the named shipped packs and of the YAML files in `rules_dirs`."""
    packed: list[PackedRule] = []
    for path in pack_files(names, rules_dirs):
        spec = load_pack_file(path)
        packed.extend(PackedRule(spec.pack, rule) for rule in spec.rules)
    return packed
