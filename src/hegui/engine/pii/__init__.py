"""Personal-information detection, leak policy and masking for Chinese speech and chat."""

from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PII_TYPES, TYPE_LABELS, PiiEntity
from hegui.engine.pii.errors import PolicyError
from hegui.engine.pii.evidence import mask_findings
from hegui.engine.pii.masking import Masked, MaskPolicy, mask, mask_text, operator_from_spec
from hegui.engine.pii.operators import (
    FormatPreserving,
    FullMask,
    KeepLast,
    MaskOperator,
    PartialMask,
    SaltedHash,
    TypeTag,
    keep_last,
)
from hegui.engine.pii.policy import LeakPolicy
from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.registry import RECOGNIZERS
from hegui.engine.pii.turns import CrossTurnEntity, TurnScan, scan_turns

__all__ = [
    "PII_TYPES",
    "RECOGNIZERS",
    "TYPE_LABELS",
    "CrossTurnEntity",
    "Examples",
    "FormatPreserving",
    "FullMask",
    "KeepLast",
    "LeakPolicy",
    "MaskOperator",
    "MaskPolicy",
    "Masked",
    "PartialMask",
    "PiiDetector",
    "PiiEntity",
    "PolicyError",
    "Recognizer",
    "SaltedHash",
    "TextViews",
    "TurnScan",
    "TypeTag",
    "keep_last",
    "mask",
    "mask_findings",
    "mask_text",
    "operator_from_spec",
    "scan_turns",
]
