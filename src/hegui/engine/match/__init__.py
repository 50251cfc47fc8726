"""Multi-pattern matching backends; `best_matcher` picks Hyperscan where it is available."""

from __future__ import annotations

from collections.abc import Sequence

from hegui.engine.match.base import MultiMatcher, Pattern
from hegui.engine.match.portable import PortableMatcher

BACKENDS = ("hyperscan", "portable")


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def make_matcher(patterns: Sequence[Pattern], backend: str = "auto") -> MultiMatcher:
    """Compile `patterns` with the named backend ("auto" = hyperscan if importable)."""
    if backend == "auto":
        backend = "hyperscan" if hyperscan_available() else "portable"
    if backend == "hyperscan":
        from hegui.engine.match.hyperscan_backend import HyperscanMatcher

        return HyperscanMatcher(patterns)
    if backend == "portable":
        return PortableMatcher(patterns)
    raise ValueError(f"unknown matcher backend {backend!r}; choose from {BACKENDS}")


__all__ = ["BACKENDS", "MultiMatcher", "Pattern", "hyperscan_available", "make_matcher"]
