"""Alerts: the notifiers, the dispatcher over the database delivery log, and delivering the
outbox. `deliver_outbox` is what `hegui serve`'s scheduler runs every few seconds."""

from __future__ import annotations

import time
import uuid

from hegui.adapters.notify import Delivery, Dispatcher, Notice, RetryPolicy
from hegui.adapters.notify.retry import Sleep
from hegui.db import Database
from hegui.services.alerts import outbox
from hegui.services.alerts.credentials import CredentialBox
from hegui.services.alerts.deliverylog import DatabaseDeliveryLog
from hegui.services.alerts.notifiers import NotifierService, Target
from hegui.services.alerts.outbox import Queued
from hegui.services.alerts.policy import SeverityPolicy, at_least
from hegui.services.audit import AuditService
from hegui.services.clock import Clock

BATCH = 50
ROUNDS = 20


class AlertService:
    def __init__(
        self,
        db: Database,
        audit: AuditService,
        clock: Clock,
        policy: SeverityPolicy,
        secret: str,
        *,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.db = db
        self.audit = audit
        self.clock = clock
        self.policy = policy
        self.notifiers = NotifierService(audit, clock, CredentialBox(secret))
        self.log = DatabaseDeliveryLog(db)
        self.dispatcher = Dispatcher(self.log, retry, sleep=sleep, now=clock.now)
        # Leases on outbox rows are held by name: one per service (per process).
        self.name = f"alerts-{uuid.uuid4().hex[:12]}"

    def deliver_outbox(self) -> int:
        """Send every pending notice that is due; how many were fully delivered."""
        delivered = 0
        for _ in range(ROUNDS):
            with self.db.transaction() as session:
                batch = outbox.claim(session, self.name, self.clock.now(), BATCH)
            if not batch:
                break
            with self.db.reader() as session:
                targets = self.notifiers.targets(session)
            down: set[int] = set()
            for item in batch:
                errors = self._send(item, targets, down)
                with self.db.transaction() as session:
                    outbox.finish(session, item, errors, self.clock.now())
                delivered += not errors
            if len(batch) < BATCH:
                break
        return delivered

    def _send(self, item: Queued, targets: list[Target], down: set[int]) -> list[str]:
        """Send one notice to every notifier that wants it; the failures. A notifier that
        failed once in this round is not tried again in it (its notices wait for the next)."""
        errors: list[str] = []
        for target in targets:
            if not at_least(item.notice.severity, target.min_severity):
                continue
            if target.notifier is None or target.id in down:
                errors.append(f"#{target.id}: {target.error or '本轮发送失败 failing this round'}")
                continue
            delivery = self.dispatcher.dispatch(str(target.id), target.notifier, item.notice)
            if delivery.status == "failed":
                down.add(target.id)
                errors.append(f"#{target.id}: {delivery.error}")
        return errors

    def test_send(self, notifier_id: int, *, actor: str) -> Delivery:
        """One test notice through one notifier, one attempt, logged and audited."""
        with self.db.reader() as session:
            row = self.notifiers.get(session, notifier_id)
            notifier = self.notifiers.build(row)
            name, kind = row.name, row.kind
        notice = Notice(
            event="notifier.test",
            severity="low",
            title="测试通知 test notice",
            text=f"hegui 通知渠道测试 notifier test, sent by {actor}",
            idempotency_key=f"test:{notifier_id}:{uuid.uuid4().hex}",
            payload={"id": notifier_id, "kind": kind, "name": name},
        )
        once = Dispatcher(self.log, RetryPolicy(max_attempts=1), now=self.clock.now)
        delivery = once.dispatch(str(notifier_id), notifier, notice)
        details = {"status": delivery.status, "code": delivery.code}
        with self.db.transaction() as session:
            self.audit.record(session, actor, "notifier.test", ("notifier", notifier_id), details)
        return delivery

    def close(self) -> None:
        self.notifiers.close()
