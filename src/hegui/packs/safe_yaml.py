"""Reading rule files written by anyone: bounded size, nesting and alias expansion.

A ten-line "billion laughs" file expands to 10⁹ nodes once its aliases are followed;
the node graph is measured (each alias counted at its expanded size) before anything
walks the data, so such a file is refused in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 4 * 1024 * 1024  # the largest shipped pack is under 200 KB
MAX_NODES = 500_000  # with aliases expanded; the largest shipped pack has under 10,000
MAX_DEPTH = 40  # the deepest shipped rule nests 15 levels

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnsafeYaml(ValueError):
    """A file refused before it is read into data; the message says where and why."""


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a BOM allowed), refused past MAX_BYTES."""
    with path.open("rb") as f:  # OSError goes to the caller
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UnsafeYaml(f"{path}: 文件过大 file too large (over {MAX_BYTES // (1024 * 1024)} MiB)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsafeYaml(
            f"{path}: 不是 UTF-8 文本 not UTF-8 text (byte {exc.start}); 请另存为 UTF-8"
        ) from None


def compose(text: str, source: str) -> yaml.Node | None:
    """The YAML node graph of `text`, checked against the limits; YAMLError on bad syntax."""
    if len(text) > MAX_BYTES:
        raise UnsafeYaml(f"{source}: 文件过大 file too large (over {MAX_BYTES} characters)")
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # the pure-Python parser, on a deep file
        raise UnsafeYaml(f"{source}: 嵌套过深 nested too deeply") from None
    if root is not None:
        _measure(root, source)
    return root


def load_file(path: Path) -> Any:
    """A small YAML file (a policy, a setting) read within the same limits as rule packs."""
    root = compose(read_text(path), str(path))
    return construct(root) if root is not None else None


def construct(root: yaml.Node) -> Any:
    """Plain data from a checked node graph (safe tags only)."""
    return _Loader("").construct_document(root)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node, source: str) -> None:
    """Expanded size and depth of every node, post-order without recursion; an alias
    that contains itself is refused (it would expand forever)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            on_path.discard(key)
            _check(node, size[key], depth[key], source)
            continue
        if key in size:
            continue
        if key in on_path:
            raise UnsafeYaml(f"{_where(source, node)}: 别名引用自身 an alias refers to itself")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)
    _check_duplicate_keys(root, source)


def _check(node: yaml.Node, size: int, depth: int, source: str) -> None:
    if size > MAX_NODES:
        raise UnsafeYaml(
            f"{_where(source, node)}: 展开后节点过多 over {MAX_NODES:,} nodes once aliases "
            "are expanded (YAML 别名炸弹? an alias bomb?)"
        )
    if depth > MAX_DEPTH:
        raise UnsafeYaml(f"{_where(source, node)}: 嵌套超过 {MAX_DEPTH} 层 nested too deeply")


def _check_duplicate_keys(root: yaml.Node, source: str) -> None:
    """`when:` written twice in one rule would silently keep the last; refuse instead."""
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in keys:
                        raise UnsafeYaml(
                            f"{_where(source, key)}: 重复的键 duplicate key {key.value!r}"
                        )
                    keys.add(key.value)
        stack.extend(_children(node))


def _where(source: str, node: yaml.Node) -> str:
    return f"{source}:{node.start_mark.line + 1}"
