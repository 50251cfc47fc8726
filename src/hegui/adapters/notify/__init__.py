"""Notifiers: telling people about cases through webhooks, chat robots and e-mail.

`Notifier.send(Notice) -> Delivery` makes one attempt and never raises for a failed send;
`Dispatcher` adds retries with backoff and a `DeliveryLog` so each notice goes out once per
notifier. `notifier_from_config` builds a notifier from stored configuration. See
docs/notify.md.
"""

from hegui.adapters.notify.base import Delivery, DeliveryStatus, Notice, Notifier, Severity
from hegui.adapters.notify.dingtalk import DingTalkNotifier
from hegui.adapters.notify.dispatch import (
    DeliveryLog,
    DeliveryRecord,
    Dispatcher,
    InMemoryDeliveryLog,
)
from hegui.adapters.notify.email import EmailNotifier
from hegui.adapters.notify.fake import FakeNotifier
from hegui.adapters.notify.feishu import FeishuNotifier
from hegui.adapters.notify.registry import (
    NOTIFIER_KINDS,
    NotifierConfig,
    NotifierConfigError,
    notifier_from_config,
    validate_config,
)
from hegui.adapters.notify.retry import RetryPolicy, send_with_retry
from hegui.adapters.notify.webhook import WebhookNotifier, verify_signature
from hegui.adapters.notify.wecom import WeComNotifier

__all__ = [
    "NOTIFIER_KINDS",
    "Delivery",
    "DeliveryLog",
    "DeliveryRecord",
    "DeliveryStatus",
    "DingTalkNotifier",
    "Dispatcher",
    "EmailNotifier",
    "FakeNotifier",
    "FeishuNotifier",
    "InMemoryDeliveryLog",
    "Notice",
    "Notifier",
    "NotifierConfig",
    "NotifierConfigError",
    "RetryPolicy",
    "Severity",
    "WeComNotifier",
    "WebhookNotifier",
    "notifier_from_config",
    "send_with_retry",
    "validate_config",
    "verify_signature",
]
