"""Configuring notifiers (validated, credentials sealed, audited) and building them to send.

Built notifiers are kept while their configuration is unchanged; HTTP kinds share one
`httpx.Client` (closed with the service).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.adapters.notify import (
    Notifier,
    NotifierConfigError,
    notifier_from_config,
    validate_config,
)
from hegui.errors import Invalid, NotFound
from hegui.services.alerts.credentials import CredentialBox, target_hint
from hegui.services.alerts.models import DeliveryRow, NotifierRow
from hegui.services.alerts.schemas import NotifierCreate
from hegui.services.audit import AuditService
from hegui.services.clock import Clock
from hegui.services.validation import validated


class InvalidConfig(Invalid):
    """Every problem of a notifier configuration, each naming its field (422)."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        field, message = errors[0]
        super().__init__(field, message)
        self.errors = list(errors)

    @property
    def detail(self) -> object:
        return [
            {"loc": ["body", *field.split(".")], "msg": message, "type": "value_error"}
            for field, message in self.errors
        ]


@dataclass(frozen=True)
class Target:
    """An active notifier ready to send, with the least severity it wants."""

    id: int
    min_severity: str
    notifier: Notifier | None
    error: str | None = None  # why it could not be built (credentials unreadable, …)


class NotifierService:
    def __init__(self, audit: AuditService, clock: Clock, box: CredentialBox) -> None:
        self.audit = audit
        self.clock = clock
        self.box = box
        self._client: httpx.Client | None = None  # made on first use, shared by HTTP kinds
        self._built: dict[int, tuple[datetime, Notifier]] = {}
        self._lock = threading.Lock()

    def create(
        self, session: Session, data: NotifierCreate | Mapping[str, Any], *, actor: str
    ) -> NotifierRow:
        spec = validated(NotifierCreate, data)
        secret = spec.secret.get_secret_value() if spec.secret else None
        try:
            config = validate_config(spec.kind, spec.target, secret, spec.options)
        except NotifierConfigError as exc:
            raise InvalidConfig(exc.errors) from None
        now = self.clock.now()
        row = NotifierRow(
            kind=spec.kind,
            name=spec.name or f"{spec.kind} {target_hint(spec.kind, spec.target)}"[:128],
            min_severity=spec.min_severity,
            target_hint=target_hint(spec.kind, spec.target),
            sealed=self.box.seal(config.target, config.secret_text()),
            has_secret=config.secret is not None,
            options=config.options.model_dump(mode="json", exclude_defaults=True),
            active=True,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        details = {"kind": row.kind, "min_severity": row.min_severity, "target": row.target_hint}
        self.audit.record(session, actor, "notifier.create", ("notifier", row.id), details)
        return row

    def get(self, session: Session, notifier_id: int) -> NotifierRow:
        row = session.get(NotifierRow, notifier_id)
        if row is None:
            raise NotFound(f"通知渠道不存在 no notifier {notifier_id}")
        return row

    def all(self, session: Session) -> Sequence[NotifierRow]:
        return session.scalars(select(NotifierRow).order_by(NotifierRow.id)).all()

    def deactivate(self, session: Session, notifier_id: int, *, actor: str) -> NotifierRow:
        row = self.get(session, notifier_id)
        if row.active:
            row.active, row.updated_at = False, self.clock.now()
            session.flush()
            self.audit.record(session, actor, "notifier.deactivate", ("notifier", row.id), {})
        return row

    def targets(self, session: Session) -> list[Target]:
        """Every active notifier, built (or the reason it cannot be)."""
        rows = session.scalars(select(NotifierRow).where(NotifierRow.active.is_(True))).all()
        return [self._target(row) for row in rows]

    def _target(self, row: NotifierRow) -> Target:
        try:
            return Target(row.id, row.min_severity, self.build(row))
        except Exception as exc:  # one unreadable notifier must not keep the others silent
            message = getattr(exc, "message", None) or str(exc)
            return Target(row.id, row.min_severity, None, message)

    def build(self, row: NotifierRow) -> Notifier:
        with self._lock:
            cached = self._built.get(row.id)
            if cached is not None and cached[0] == row.updated_at:
                return cached[1]
            target, secret = self.box.open(row.sealed, row.id)
            if self._client is None:
                self._client = httpx.Client()
            notifier = notifier_from_config(
                row.kind, target, secret, row.options, client=self._client, clock=time.time
            )
            if cached is not None:
                _close(cached[1])
            self._built[row.id] = (row.updated_at, notifier)
            return notifier

    def deliveries(
        self,
        session: Session,
        *,
        notifier_id: int | None = None,
        status: str | None = None,
        event: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[Sequence[DeliveryRow], int]:
        query = select(DeliveryRow)
        for column, value in (
            (DeliveryRow.notifier_id, notifier_id),
            (DeliveryRow.status, status),
            (DeliveryRow.event, event),
        ):
            if value is not None:
                query = query.where(column == value)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(DeliveryRow.id.desc()).limit(limit).offset(offset)
        return session.scalars(page).all(), total

    def close(self) -> None:
        with self._lock:
            for _, notifier in self._built.values():
                _close(notifier)
            self._built.clear()
            if self._client is not None:
                self._client.close()
                self._client = None


def _close(notifier: Notifier) -> None:
    close = getattr(notifier, "close", None)
    if callable(close):
        close()
