"""Live conversations: utterances in over a WebSocket, findings and whisper prompts out,
a feed of findings (high-severity ones unless asked for more) for supervisors (docs/live.md)."""

from __future__ import annotations

from hegui.services.live.conversation import ABANDONED, ENDED, FeedEvent, Finished
from hegui.services.live.hub import Subscription, SupervisorHub
from hegui.services.live.ledger import PublishedRules, StoredConversations
from hegui.services.live.limits import LiveLimits, RateLimit
from hegui.services.live.protocol import MessageError
from hegui.services.live.rules import InspectorSource, RuleCache, ShippedRules
from hegui.services.live.service import LiveConnection, LiveRecorder, LiveService
from hegui.services.live.whispers import WHISPERS, Prompt, Whisper, WhisperPolicy

__all__ = [
    "ABANDONED",
    "ENDED",
    "WHISPERS",
    "FeedEvent",
    "Finished",
    "InspectorSource",
    "LiveConnection",
    "LiveLimits",
    "LiveRecorder",
    "LiveService",
    "MessageError",
    "Prompt",
    "PublishedRules",
    "RateLimit",
    "RuleCache",
    "ShippedRules",
    "StoredConversations",
    "Subscription",
    "SupervisorHub",
    "Whisper",
    "WhisperPolicy",
]
