"""The engine's closed vocabularies, declared once: every other module derives from here
(the rule schema's types, the input format's checks, the PII registry, the kinds registry)."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["agent", "customer", "bot", "system"]
Channel = Literal["phone", "chat", "wecom", "video", "app", "email", "ticket", "sms"]
Industry = Literal["securities", "banking", "insurance", "lending", "general"]
Severity = Literal["high", "medium", "low"]
PiiType = Literal[
    "id_number",
    "bank_card",
    "phone",
    "email",
    "passport",
    "travel_permit",
    "license_plate",
    "credit_code",
    "ip_address",
    "address",
    "person_name",
    "account_balance",
]
RuleKind = Literal[
    "when",
    "must_say",
    "sequence",
    "count",
    "silence",
    "interruption",
    "response_time",
    "speech_rate",
    "llm",
]

ROLES: tuple[str, ...] = get_args(Role)
CHANNELS: tuple[str, ...] = get_args(Channel)
INDUSTRIES: tuple[str, ...] = get_args(Industry)
SEVERITIES: tuple[str, ...] = get_args(Severity)  # most severe first
PII_TYPES: tuple[str, ...] = get_args(PiiType)
RULE_KINDS: tuple[str, ...] = get_args(RuleKind)
