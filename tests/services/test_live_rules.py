"""The rules of new live conversations: cached a few seconds, frozen out of the GC's way."""

from __future__ import annotations

import gc

import anyio

from hegui.inspector import Inspector
from hegui.services.live import RuleCache, ShippedRules


def test_the_source_is_asked_again_only_after_the_refresh_interval() -> None:
    shipped = ShippedRules()
    asked: list[Inspector] = []
    now = [100.0]

    def source() -> Inspector:
        asked.append(shipped())
        return asked[-1]

    cache = RuleCache(source, refresh=5.0, monotonic=lambda: now[0])

    async def scenario() -> None:
        first = await cache.current()
        now[0] += 4.9
        assert await cache.current() is first and len(asked) == 1
        now[0] += 0.2
        assert await cache.current() is first and len(asked) == 2

    try:
        anyio.run(scenario)
    finally:
        gc.unfreeze()


def test_a_new_inspector_is_frozen_out_of_the_collector_s_sight_once() -> None:
    shipped = ShippedRules()
    cache = RuleCache(shipped, refresh=0.0)
    gc.unfreeze()
    try:
        inspector = cache.fetch()
        frozen = gc.get_freeze_count()
        assert frozen > 100_000  # the compiled library, among the rest
        assert cache.fetch() is inspector and gc.get_freeze_count() == frozen
        assert gc.is_tracked(inspector) and inspector not in gc.get_objects()
    finally:
        gc.unfreeze()
