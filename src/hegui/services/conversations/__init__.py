"""Conversations: submitted (one, a list, a JSONL upload), masked, stored with revisions."""

from __future__ import annotations

from hegui.services.conversations.models import (
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)
from hegui.services.conversations.schemas import ConversationRead, SubmitResult, UploadResult
from hegui.services.conversations.sealing import ContentHasher, RawSealer
from hegui.services.conversations.service import Batch, ConversationService

__all__ = [
    "Batch",
    "ContentHasher",
    "ConversationRead",
    "ConversationRevision",
    "ConversationService",
    "RawSealer",
    "StoredConversation",
    "StoredUtterance",
    "SubmitResult",
    "UploadResult",
]
