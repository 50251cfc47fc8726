"""Writing a case's history: every action appends an event (and the caller audits it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hegui.services.cases.models import Case, CaseEvent

SYSTEM = "system"


def add_event(
    session: Session,
    case: Case,
    actor: str,
    action: str,
    at: datetime,
    *,
    to_status: str | None = None,
    comment: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """An event; with `to_status` the case moves there (from its current status)."""
    event = CaseEvent(
        case_id=case.id,
        at=at,
        actor=actor,
        action=action,
        from_status=case.status if to_status is not None else None,
        to_status=to_status,
        comment=comment or None,
        details=dict(details or {}),
    )
    if to_status is not None:
        case.status = to_status
    case.updated_at = at
    session.add(event)
    return event
