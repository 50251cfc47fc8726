"""Stored revisions back as read models and as engine conversations (masked text)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hegui.engine.model import Conversation, Utterance
from hegui.services.conversations.models import ConversationRevision
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.conversations.schemas import ConversationRead, UtteranceRead


def conversation_read(session: Session, revision: ConversationRevision) -> ConversationRead:
    rows = ConversationRepository(session).utterances(revision.id)
    return ConversationRead(
        id=revision.conversation_id,
        revision=revision.number,
        status=revision.status,
        channel=revision.channel,
        industry=revision.industry,
        metadata=revision.meta,
        utterances=[
            UtteranceRead(
                role=r.role, text=r.text, start=r.start_seconds, end=r.end_seconds, at=r.at
            )
            for r in rows
        ],
        extra=revision.extra,
        agent_id=revision.agent_id,
        team=revision.team,
        started_at=revision.started_at,
        received_at=revision.received_at,
        inspected_at=revision.inspected_at,
        raw_kept=revision.raw_kept,
    )


def masked_conversation(session: Session, revision: ConversationRevision) -> Conversation:
    """The revision as the engine reads it, from the masked text as stored."""
    rows = ConversationRepository(session).utterances(revision.id)
    utterances = tuple(
        Utterance(
            r.role,
            r.text,
            r.start_seconds,
            r.end_seconds,
            datetime.fromisoformat(r.at) if r.at is not None else None,
        )
        for r in rows
    )
    return Conversation(
        revision.conversation_id,
        utterances,
        revision.channel,
        revision.industry,
        dict(revision.meta),
        dict(revision.extra),
        revision.started_at,
    )
