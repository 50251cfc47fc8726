"""Small text models run by the engine: hashed character n-grams and linear scorers.

Pure code, no I/O: the layer above (hegui.models) reads a model's bytes from the package
and hands the decoded model to the rule library.
"""

from hegui.engine.textmodel.features import HashedNgrams
from hegui.engine.textmodel.intents import (
    INTENT_ROLES,
    SEMANTIC_INTENTS,
    IntentScorer,
    NgramIntents,
)
from hegui.engine.textmodel.linear import LinearModel, ModelFormatError

__all__ = [
    "INTENT_ROLES",
    "SEMANTIC_INTENTS",
    "HashedNgrams",
    "IntentScorer",
    "LinearModel",
    "ModelFormatError",
    "NgramIntents",
]
