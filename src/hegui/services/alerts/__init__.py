"""Alerts: the severity policy, notifiers configured in the database (credentials sealed),
the outbox of notices and its delivery with a database delivery log."""

from __future__ import annotations

from hegui.services.alerts.deliverylog import DatabaseDeliveryLog
from hegui.services.alerts.models import DeliveryRow, NotifierRow, OutboxEntry
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.alerts.schemas import DeliveryRead, NotifierCreate, NotifierRead, SendResult
from hegui.services.alerts.service import AlertService

__all__ = [
    "AlertService",
    "DatabaseDeliveryLog",
    "DeliveryRead",
    "DeliveryRow",
    "NotifierCreate",
    "NotifierRead",
    "NotifierRow",
    "OutboxEntry",
    "SendResult",
    "SeverityPolicy",
]
