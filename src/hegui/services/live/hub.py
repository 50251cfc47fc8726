"""The supervisors' feed: events of every live conversation, fanned out to subscribers.

Publishing never waits: each subscriber has a bounded queue, and when a slow one falls
`limit` events behind its oldest event is dropped and counted; the subscriber learns how
many with a `{"type": "dropped", "count": N}` before its next event. A subscription keeps
the findings at or above its minimum severity (`high` unless it asked for more); what it
does not keep is neither queued nor counted as dropped. Everything runs on the event loop's
thread (no locks): publish from there only.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Any

from hegui.engine.vocabulary import SEVERITIES
from hegui.services.access import Principal, can_see
from hegui.services.live.conversation import FEED_SEVERITY, FeedEvent


def at_or_above(severity: str) -> frozenset[str]:
    """`high` → {high}; `medium` → {high, medium}; `low` → all three."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}: one of {', '.join(SEVERITIES)}")
    return frozenset(SEVERITIES[: SEVERITIES.index(severity) + 1])


class Subscription:
    def __init__(
        self,
        viewer: Principal,
        limit: int,
        whispers: bool = False,
        min_severity: str = FEED_SEVERITY,
    ) -> None:
        self.viewer = viewer
        self.whispers = whispers  # also the whispers of the conversations it may see
        self.severities = at_or_above(min_severity)  # the findings it keeps
        self.dropped = 0  # since the last `dropped` notice
        self.dropped_total = 0
        self._queue: deque[dict[str, Any]] = deque(maxlen=limit)
        self._ready = asyncio.Event()

    def offer(self, event: FeedEvent) -> None:
        if event.severity is not None and event.severity not in self.severities:
            return
        if not can_see(self.viewer, event.agent_id, event.team):
            return
        if len(self._queue) == self._queue.maxlen:
            self.dropped += 1
            self.dropped_total += 1
        self._queue.append(event.message)  # a full deque drops its oldest
        self._ready.set()

    async def next_batch(self) -> list[dict[str, Any]]:
        """What is queued (a `dropped` notice first when events were lost); waits for one."""
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()
        batch: list[dict[str, Any]] = []
        if self.dropped:
            batch.append({"type": "dropped", "count": self.dropped})
            self.dropped = 0
        batch.extend(self._queue)
        self._queue.clear()
        return batch

    @property
    def backlog(self) -> int:
        return len(self._queue)


class SupervisorHub:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._subscribers: set[Subscription] = set()

    def subscribe(
        self,
        viewer: Principal,
        current: Iterable[FeedEvent] = (),
        whispers: bool = False,
        min_severity: str = FEED_SEVERITY,
    ) -> Subscription:
        """A new subscription; `current`: start events of conversations already live;
        `whispers`: the whispers too; `min_severity`: the least severe findings it gets."""
        subscription = Subscription(viewer, self.limit, whispers, min_severity)
        for event in current:
            subscription.offer(event)
        self._subscribers.add(subscription)
        return subscription

    def publish_whispers(self, events: Iterable[FeedEvent]) -> None:
        """Whispers go to the subscriptions that asked for them only."""
        for event in events:
            for subscription in self._subscribers:
                if subscription.whispers:
                    subscription.offer(event)

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def publish(self, events: Iterable[FeedEvent]) -> None:
        for event in events:
            for subscription in self._subscribers:
                subscription.offer(event)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)
