"""The rules a new live conversation runs: asked of their source at most every few
seconds, so starting a call rarely leaves the event loop, and kept out of the garbage
collector's sight.

A compiled library is some 350,000 long-lived objects; left to the collector, every full
collection walks them all (87 ms measured on the benchmark machine), stalling every live
conversation of the process at once. Each new Inspector is moved out of its sight
(`gc.collect()` then `gc.freeze()`) once, in a worker thread, when first fetched.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable

import anyio.to_thread

from hegui.inspector import EngineConfig, Inspector, build_inspector

InspectorSource = Callable[[], Inspector]  # blocking: compiles, may read the database
REFRESH_S = 5.0


class ShippedRules:
    """The shipped packs (chosen per conversation's industry), compiled on first use."""

    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config or EngineConfig()
        self._inspector: Inspector | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Inspector:
        with self._lock:
            if self._inspector is None:
                self._inspector = build_inspector(self.config)
            return self._inspector


class RuleCache:
    """`await current()`: the source's Inspector, asked again once `refresh` seconds have
    passed (a pack published now reaches new live calls within that time)."""

    def __init__(
        self,
        source: InspectorSource,
        refresh: float = REFRESH_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.refresh = refresh
        self.monotonic = monotonic
        self._inspector: Inspector | None = None
        self._fetched = 0.0
        self._settled: weakref.ref[Inspector] | None = None
        self._lock = threading.Lock()

    async def current(self) -> Inspector:
        inspector = self._inspector
        if inspector is not None and self.monotonic() - self._fetched < self.refresh:
            return inspector
        return await anyio.to_thread.run_sync(self.fetch)

    def fetch(self) -> Inspector:
        """Ask the source now (blocking)."""
        inspector = self.source()
        with self._lock:
            if self._settled is None or self._settled() is not inspector:
                gc.collect()
                gc.freeze()
                self._settled = weakref.ref(inspector)
            self._inspector, self._fetched = inspector, self.monotonic()
        return inspector
