"""The supervisors' feed: who sees which events, and a slow subscriber never blocks."""

from __future__ import annotations

import time

import anyio
import pytest

from hegui.services.live.conversation import FeedEvent
from hegui.services.live.hub import SupervisorHub
from tests.services.live_support import ADMIN, LEAD, REVIEWER


def event(n: int, team: str = "east-1", agent: str = "A-17") -> FeedEvent:
    return FeedEvent(agent, team, {"type": "finding", "n": n})


def batch(subscription) -> list[dict]:  # type: ignore[no-untyped-def]
    async def take() -> list[dict]:  # type: ignore[type-arg]
        with anyio.fail_after(2):
            return await subscription.next_batch()

    return anyio.run(take)


def test_each_subscriber_sees_what_it_may() -> None:
    hub = SupervisorHub(limit=10)
    admin, lead = hub.subscribe(ADMIN), hub.subscribe(LEAD)
    hub.publish([event(1), event(2, team="west-2"), event(3, team=None)])  # type: ignore[arg-type]
    assert [m["n"] for m in batch(admin)] == [1, 2, 3]
    assert [m["n"] for m in batch(lead)] == [1]
    assert admin.backlog == lead.backlog == 0


def test_a_slow_subscriber_loses_its_oldest_events_and_is_told_how_many() -> None:
    hub = SupervisorHub(limit=3)
    slow, other = hub.subscribe(REVIEWER), hub.subscribe(ADMIN)
    hub.publish(event(n) for n in range(5))
    assert batch(slow) == [
        {"type": "dropped", "count": 2},
        {"type": "finding", "n": 2},
        {"type": "finding", "n": 3},
        {"type": "finding", "n": 4},
    ]
    assert (slow.dropped, slow.dropped_total, other.dropped_total) == (0, 2, 2)
    hub.publish([event(5)])
    assert batch(slow) == [{"type": "finding", "n": 5}]


def test_publishing_to_a_subscriber_that_never_reads_takes_no_longer() -> None:
    hub = SupervisorHub(limit=100)
    for _ in range(50):
        hub.subscribe(ADMIN)  # none of them ever reads
    began = time.monotonic()
    hub.publish(event(n) for n in range(10_000))
    assert time.monotonic() - began < 10  # bounded memory and work: no waiting on readers


def test_a_subscription_keeps_the_findings_at_or_above_its_minimum_severity() -> None:
    hub = SupervisorHub(limit=10)
    high, medium, low = (hub.subscribe(ADMIN, min_severity=s) for s in ("high", "medium", "low"))
    default = hub.subscribe(ADMIN)

    def finding(n: int, severity: str) -> FeedEvent:
        return FeedEvent("A-17", "east-1", {"type": "finding", "n": n}, severity)

    hub.publish([event(0), finding(1, "low"), finding(2, "medium"), finding(3, "high")])
    hub.publish_whispers([event(4)])  # whispers and starts are not findings: not filtered
    assert [m["n"] for m in batch(low)] == [0, 1, 2, 3]
    assert [m["n"] for m in batch(medium)] == [0, 2, 3]
    assert [m["n"] for m in batch(high)] == [m["n"] for m in batch(default)] == [0, 3]
    assert low.dropped_total == high.dropped_total == 0  # what is not kept is not dropped
    with pytest.raises(ValueError, match="unknown severity 'urgent'"):
        hub.subscribe(ADMIN, min_severity="urgent")


def test_a_subscription_starts_with_the_conversations_already_live() -> None:
    hub = SupervisorHub(limit=10)
    lead = hub.subscribe(LEAD, [event(1), event(2, team="west-2")])
    assert [m["n"] for m in batch(lead)] == [1]


def test_next_batch_waits_for_an_event() -> None:
    hub = SupervisorHub(limit=10)
    subscription = hub.subscribe(ADMIN)

    async def scenario() -> list[dict]:  # type: ignore[type-arg]
        async with anyio.create_task_group() as group:
            got: list[dict] = []  # type: ignore[type-arg]

            async def read() -> None:
                got.extend(await subscription.next_batch())

            group.start_soon(read)
            await anyio.sleep(0.05)
            assert got == []
            hub.publish([event(7)])
        return got

    assert anyio.run(scenario) == [{"type": "finding", "n": 7}]


def test_unsubscribed_gets_nothing() -> None:
    hub = SupervisorHub(limit=10)
    subscription = hub.subscribe(ADMIN)
    hub.unsubscribe(subscription)
    hub.publish([event(1)])
    assert subscription.backlog == 0 and hub.subscribers == 0
    with pytest.raises(TimeoutError):
        batch(subscription)
