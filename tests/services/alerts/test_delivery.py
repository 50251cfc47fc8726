"""Notices reach real HTTP receivers on 127.0.0.1 through the outbox: `case.created` for a
high-severity finding exactly once — after re-running delivery, after a restart, after a
crash between sending and marking — retried with backoff when the receiver fails."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from hegui.adapters.notify import DeliveryRecord, Dispatcher, RetryPolicy
from hegui.bootstrap import Platform, bootstrap
from hegui.services.alerts import DatabaseDeliveryLog, DeliveryRow, NotifierRead, OutboxEntry
from hegui.services.cases import deliver_outbox, send_digests
from hegui.services.clock import FixedClock
from hegui.services.jobs import run_until_done
from tests.adapters.notify.servers import LocalServer, Reply, hegui_receiver
from tests.db_fixtures import T0, ProvisionedDatabase, cheap_passwords
from tests.services.cases.support import open_case
from tests.services.ingest_support import PROMISE, call

SECRET = "webhook-signing-secret"
CASE_FIELDS = {
    "id",
    "conversation_id",
    "finding",
    "category",
    "severity",
    "status",
    "agent_id",
    "team",
    "channel",
    "created_at",
    "due_at",
    "history",
}


@pytest.fixture
def receiver() -> Iterator[LocalServer]:
    with LocalServer(hegui_receiver(SECRET)) as server:
        yield server


def add_webhook(platform: Platform, url: str, min_severity: str = "high") -> NotifierRead:
    spec = {"kind": "webhook", "target": url, "min_severity": min_severity, "secret": SECRET}
    with platform.db.transaction() as session:
        return NotifierRead.model_validate(
            platform.alerts.notifiers.create(session, spec, actor="cm")
        )


def no_waiting(platform: Platform, clock: FixedClock) -> None:
    platform.alerts.dispatcher = Dispatcher(
        platform.alerts.log, RetryPolicy(base_delay=0), now=clock.now
    )


def ingest(platform: Platform, *conversations: dict[str, object]) -> None:
    with platform.db.transaction() as session:
        job = platform.conversations.submit(session, list(conversations), actor="api")
    assert run_until_done(platform, job.job_id, timeout=60).status == "done"


def created_events(server: LocalServer) -> list[dict[str, object]]:
    return [r.json() for r in server.received if r.json()["event"] == "case.created"]


def test_case_created_reaches_the_webhook_once_across_restarts(
    fresh_platform: Platform,
    fresh_db: ProvisionedDatabase,
    receiver: LocalServer,
    clock: FixedClock,
) -> None:
    add_webhook(fresh_platform, receiver.url("/hegui"))
    agent = {"id": "A-17", "team": "east-1"}
    ingest(fresh_platform, call("c-1", *PROMISE, agent=agent))
    assert deliver_outbox(fresh_platform) >= 1
    [event] = created_events(receiver)
    case = event["case"]
    assert isinstance(case, dict) and set(case) >= CASE_FIELDS
    assert case["conversation_id"] == "c-1" and case["severity"] == "high"
    assert case["finding"]["rule_id"] == "securities.promise.baoben"  # type: ignore[index]
    assert (case["agent_id"], case["team"], case["status"]) == ("A-17", "east-1", "new")
    assert event["id"] == f"case-{case['id']}:created"
    assert deliver_outbox(fresh_platform) == 0
    # Submitting the same conversation again: no new case, no new notice.
    ingest(fresh_platform, call("c-1", *PROMISE, agent=agent))
    assert deliver_outbox(fresh_platform) == 0
    fresh_platform.close()
    # A restart, and a crash between sending and marking the outbox row delivered.
    again = bootstrap(fresh_platform.settings, clock=clock, passwords=cheap_passwords())
    try:
        with again.db.transaction() as session:
            session.execute(text("UPDATE outbox SET state = 'pending', delivered_at = NULL"))
        assert deliver_outbox(again) == 0  # its lease holds it for a while
        clock.advance(timedelta(minutes=6))
        assert deliver_outbox(again) >= 1  # delivered again: skipped, the log says sent
        with again.db.reader() as session:
            states = set(session.scalars(select(OutboxEntry.state)))
            sent = session.scalars(select(DeliveryRow).where(DeliveryRow.status == "sent")).all()
            assert len({row.idempotency_key for row in sent}) == len(sent)
    finally:
        again.close()
    assert len(created_events(receiver)) == 1 and states == {"delivered"}


def test_a_failing_receiver_is_retried_later(
    platform: Platform, receiver: LocalServer, clock: FixedClock
) -> None:
    no_waiting(platform, clock)
    hook = add_webhook(platform, receiver.url("/hegui"))
    case_id = open_case(platform)
    receiver.script(*[Reply(503, {"detail": "down"})] * 4)
    assert deliver_outbox(platform) == 0
    with platform.db.reader() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        assert (entry.state, entry.attempts) == ("pending", 1)
        assert entry.next_at == T0 + timedelta(seconds=30)
        assert entry.last_error is not None and entry.last_error.startswith(f"#{hook.id}:")
        rows, total = platform.alerts.notifiers.deliveries(session, status="failed")
        assert total == 4 and {r.code for r in rows} == {503}
    assert deliver_outbox(platform) == 0  # backing off: not yet
    clock.advance(timedelta(seconds=31))
    assert deliver_outbox(platform) == 1
    assert [e["case"]["id"] for e in created_events(receiver)] == [case_id] * 5  # type: ignore[index]
    assert receiver.received[-1].headers["X-Hegui-Event"] == "case.created"


def test_each_notifier_gets_the_severities_it_asked_for(
    platform: Platform, receiver: LocalServer, clock: FixedClock
) -> None:
    high_only = add_webhook(platform, receiver.url("/high"), "high")
    everything = add_webhook(platform, receiver.url("/all"), "low")
    retired = add_webhook(platform, receiver.url("/retired"), "low")
    with platform.db.transaction() as session:
        platform.alerts.notifiers.deactivate(session, retired.id, actor="cm")
    open_case(platform, severity="medium")
    clock.advance(timedelta(days=1))
    [key] = send_digests(platform)
    assert deliver_outbox(platform) == 1
    assert [(r.path, r.json()["event"]) for r in receiver.received] == [("/all", "digest")]
    assert receiver.received[0].json()["digest"]["count"] == 1
    assert receiver.received[0].json()["id"] == key
    assert high_only.id != everything.id


def test_a_test_send_is_logged(platform: Platform, receiver: LocalServer) -> None:
    hook = add_webhook(platform, receiver.url("/hegui"))
    delivery = platform.alerts.test_send(hook.id, actor="cm")
    assert delivery.status == "sent" and delivery.code == 200
    [request] = receiver.received
    assert request.json()["event"] == "notifier.test"
    with platform.db.reader() as session:
        [row], _ = platform.alerts.notifiers.deliveries(session)
        assert (row.event, row.status, row.notifier_id) == ("notifier.test", "sent", hook.id)
        assert [e.action for e in platform.audit.entries(session)][-1] == "notifier.test"


def test_unreadable_credentials_keep_the_notice_pending(
    platform: Platform, receiver: LocalServer, clock: FixedClock
) -> None:
    from hegui.services.alerts.credentials import CredentialBox

    add_webhook(platform, receiver.url("/hegui"))
    open_case(platform)
    platform.alerts.notifiers.box = CredentialBox("another-secret-key-" + "y" * 40)
    assert deliver_outbox(platform) == 0
    with platform.db.reader() as session:
        entry = session.scalars(select(OutboxEntry)).one()
        assert entry.state == "pending" and "cannot decrypt" in (entry.last_error or "")
    assert receiver.received == []


def test_the_database_log_keeps_one_sent_record(platform: Platform) -> None:
    hook_spec = {"kind": "webhook", "target": "https://x.example/h", "min_severity": "low"}
    with platform.db.transaction() as session:
        hook = platform.alerts.notifiers.create(session, hook_spec, actor="cm").id
    log = DatabaseDeliveryLog(platform.db)
    record = DeliveryRecord(
        str(hook), "webhook", "k-1", "case.created", 1, "sent", 200, "", None, T0
    )
    assert not log.already_sent("k-1", str(hook))
    log.record(record)
    log.record(record)  # a second process reporting the same send
    log.record(
        DeliveryRecord(str(hook), "webhook", "k-1", "case.created", 2, "failed", 500, "", "x", T0)
    )
    assert log.already_sent("k-1", str(hook)) and not log.already_sent("k-2", str(hook))
    with platform.db.reader() as session:
        statuses = sorted(session.scalars(select(DeliveryRow.status)))
    assert statuses == ["failed", "sent"]
