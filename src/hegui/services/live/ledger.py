"""Where live conversations meet the rest of the platform: the rules the worker runs
(shipped packs plus the published ones, masking evidence by the institution's policy)
and the conversations service that stores a finished call like any submission."""

from __future__ import annotations

from hegui.db import Database
from hegui.errors import Invalid
from hegui.inspector import Inspector
from hegui.services.conversations import ConversationService
from hegui.services.live.conversation import Finished
from hegui.services.rulesets import InspectorProvider


class PublishedRules:
    """The Inspector the worker uses now: a live finding is the finding batch makes."""

    def __init__(self, db: Database, provider: InspectorProvider) -> None:
        self.db = db
        self.provider = provider

    def __call__(self) -> Inspector:
        with self.db.reader() as session:
            return self.provider.current(session).inspector


class StoredConversations:
    """Submits a finished live conversation as the user who streamed it: masked, stored,
    queued for inspection and audited (`conversations.submit`) in one transaction."""

    def __init__(self, db: Database, conversations: ConversationService) -> None:
        self.db = db
        self.conversations = conversations

    def record(self, finished: Finished) -> None:
        """Stored, or `Invalid` saying why not (nothing is written then)."""
        batch = self.conversations.read_list([finished.conversation])  # CPU: before the lock
        if batch.problems:
            raise Invalid("conversation", batch.problems[0][1])
        with self.db.transaction() as session:
            stored = self.conversations.store(session, batch, actor=finished.actor)
        if stored.problems:  # filing refused it: the transaction stored an empty job only
            raise Invalid("conversation", stored.problems[0][1])
