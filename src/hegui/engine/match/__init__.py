"""Multi-pattern matching backends; `make_matcher` picks Hyperscan where it is available."""

from __future__ import annotations

from collections.abc import Sequence

from hegui.engine.match.base import MultiMatcher
from hegui.engine.match.portable import PortableMatcher

BACKENDS = ("hyperscan", "portable")


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def make_matcher(literals: Sequence[str], backend: str = "auto") -> MultiMatcher:
    """Compile `literals` with the named backend ("auto" = hyperscan if importable)."""
    if backend == "auto":
        backend = "hyperscan" if hyperscan_available() else "portable"
    if backend == "hyperscan":
        from hegui.engine.match.hyperscan_backend import HyperscanMatcher

        return HyperscanMatcher(literals)
    if backend == "portable":
        return PortableMatcher(literals)
    raise ValueError(f"unknown matcher backend {backend!r}; choose from {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "MultiMatcher", "hyperscan_available", "make_matcher"]
