"""Semantic intents: what a `semantic:` rule condition asks of an utterance.

Each intent describes utterances of one side of the conversation (INTENT_ROLES). An
`IntentScorer` gives every intent a calibrated score in 0..1 for one utterance — read
"a score of 0.8 is right about 80% of the time" on the data it was calibrated on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from hegui.engine.textmodel.linear import LinearModel, ModelFormatError

AGENT = ("agent", "bot")
CUSTOMER = ("customer",)

# intent → the roles whose utterances it describes (the contract with training/semantic/).
INTENT_ROLES: Mapping[str, tuple[str, ...]] = {
    "compliance.guarantee_return": AGENT,
    "compliance.exaggeration": AGENT,
    "compliance.deposit_confusion": AGENT,
    "compliance.account_operation": AGENT,
    "compliance.suitability": AGENT,
    "compliance.collection_abuse": AGENT,
    "compliance.unauthorized_commitment": AGENT,
    "privacy.credential_request": AGENT,
    "privacy.private_channel": AGENT,
    "privacy.improper_retention": AGENT,
    "service.rude": AGENT,
    "service.impatient": AGENT,
    "service.customer_negative": CUSTOMER,
    "service.complaint_escalation": CUSTOMER,
    "risk.transfer_failure": CUSTOMER,
    "said.risk_warning": AGENT,
    "said.fee_disclosure": AGENT,
}
SEMANTIC_INTENTS: tuple[str, ...] = tuple(INTENT_ROLES)


class IntentScorer(Protocol):
    """Scores every intent it knows for one utterance."""

    @property
    def name(self) -> str:
        """Which backend this is, for messages and findings ("ngram", "embedding")."""
        ...

    @property
    def intents(self) -> frozenset[str]: ...

    def score(self, text: str, compact: str) -> Mapping[str, float]:
        """Calibrated scores of an utterance: its original `text` and its normalised
        `compact` text (hegui.engine.normalise)."""
        ...


class NgramIntents:
    """The shipped intent model: a `LinearModel` whose classes are intents."""

    name = "ngram"

    def __init__(self, model: LinearModel) -> None:
        unknown = sorted(set(model.classes) - set(SEMANTIC_INTENTS))
        if unknown:
            raise ModelFormatError(f"model has unknown intents / 未知意图: {', '.join(unknown)}")
        self.model = model
        self._intents = frozenset(model.classes)

    @property
    def intents(self) -> frozenset[str]:
        return self._intents

    def score(self, text: str, compact: str) -> Mapping[str, float]:
        return self.model.scores(compact)

    @classmethod
    def from_bytes(cls, data: bytes) -> NgramIntents:
        return cls(LinearModel.from_bytes(data))
