"""The worker: progress, leases that expire and are taken over, items that keep failing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from hegui.bootstrap import Platform
from hegui.services.clock import FixedClock
from hegui.services.jobs import Worker
from tests.services.ingest_support import PROMISE, call, count, drain, submit

LEASE = timedelta(seconds=60)


def worker(platform: Platform, clock: FixedClock, name: str, batch: int = 10) -> Worker:
    return Worker(platform.db, clock, platform.worker.step, lease=LEASE, batch=batch, name=name)


def calls(n: int) -> list[dict[str, object]]:
    return [call(f"c-{i}", *PROMISE[:2], f"{PROMISE[2]} 第{i}期") for i in range(n)]


def first_inspections(platform: Platform) -> int:
    with platform.db.reader() as session:
        return count(session, "SELECT count(*) FROM inspections WHERE kind = 'first'")


def test_progress_as_batches_are_stored(platform: Platform, clock: FixedClock) -> None:
    job_id = submit(platform, *calls(5)).job_id
    one = worker(platform, clock, "w1", batch=2)
    seen = []
    while one.run_once():
        with platform.db.reader() as session:
            job = platform.jobs.read(session, job_id)
            seen.append((job.status, job.done))
    assert seen == [("running", 2), ("running", 4), ("done", 5)]
    with platform.db.reader() as session:
        job = platform.jobs.read(session, job_id)
    assert job.total == 5 and job.started_at is not None and job.finished_at is not None


def test_a_worker_that_lost_its_lease_stores_nothing(platform: Platform, clock: FixedClock) -> None:
    job_id = submit(platform, *calls(3)).job_id
    slow, fast = worker(platform, clock, "slow"), worker(platform, clock, "fast")
    claims = slow.claim()
    computed = slow.step.compute(claims)  # ... and then it stalls past its lease
    clock.advance(LEASE + timedelta(seconds=1))
    assert fast.run_once() == 3
    with platform.db.reader() as session:
        findings = count(session, "SELECT count(*) FROM findings")
    assert slow.store(computed) == 0
    with platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM findings") == findings
        job = platform.jobs.read(session, job_id)
    assert (job.status, job.done) == ("done", 3)
    assert first_inspections(platform) == 3


def test_leases_of_a_dead_worker_are_taken_over_once_expired(
    platform: Platform, clock: FixedClock
) -> None:
    job_id = submit(platform, *calls(4)).job_id
    assert len(worker(platform, clock, "dies").claim()) == 4  # and never stores
    heir = worker(platform, clock, "heir")
    assert heir.run_once() == 0  # the leases still run
    clock.advance(LEASE + timedelta(seconds=1))
    assert heir.run_once() == 4
    with platform.db.reader() as session:
        assert platform.jobs.read(session, job_id).status == "done"
        attempts = session.execute(text("SELECT attempts FROM job_items")).scalars().all()
    assert attempts == [2, 2, 2, 2]
    assert first_inspections(platform) == 4


def test_an_item_that_kills_every_worker_fails_alone(platform: Platform, clock: FixedClock) -> None:
    job_id = submit(platform, *calls(1)).job_id
    for name in ("one", "two", "three"):
        assert len(worker(platform, clock, name).claim()) == 1
        clock.advance(LEASE + timedelta(seconds=1))
    assert worker(platform, clock, "four").run_once() == 0
    with platform.db.reader() as session:
        job = platform.jobs.read(session, job_id)
        assert platform.conversations.get(session, "c-0").status == "pending"
    assert (job.status, job.done, job.failed) == ("failed", 0, 1)
    assert job.error is not None and "3 tries" in job.error


def test_an_unreadable_conversation_fails_and_the_others_are_inspected(
    platform: Platform, clock: FixedClock
) -> None:
    job_id = submit(platform, *calls(3)).job_id
    with platform.db.transaction() as session:
        session.execute(
            text("UPDATE conversation_revisions SET raw_sealed = :b WHERE conversation_id = 'c-1'"),
            {"b": b"H1" + bytes(40)},
        )
    drain(platform)
    with platform.db.reader() as session:
        job = platform.jobs.read(session, job_id)
        statuses = [platform.conversations.get(session, f"c-{i}").status for i in range(3)]
    assert (job.status, job.done, job.failed) == ("failed", 2, 1)
    assert job.error is not None and "another key" in job.error
    assert statuses == ["inspected", "pending", "inspected"]
