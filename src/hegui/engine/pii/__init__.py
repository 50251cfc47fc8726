"""Personal-information detection, leak policy and masking for Chinese speech and chat."""

from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PII_TYPES, TYPE_LABELS, PiiEntity
from hegui.engine.pii.evidence import mask_findings
from hegui.engine.pii.masking import (
    FormatPreserving,
    FullMask,
    Masked,
    MaskOperator,
    MaskPolicy,
    PartialMask,
    SaltedHash,
    TypeTag,
    keep_last,
    mask,
    mask_text,
    operator_from_spec,
)
from hegui.engine.pii.policy import LeakPolicy
from hegui.engine.pii.turns import scan_turns

__all__ = [
    "PII_TYPES",
    "TYPE_LABELS",
    "FormatPreserving",
    "FullMask",
    "LeakPolicy",
    "MaskOperator",
    "MaskPolicy",
    "Masked",
    "PartialMask",
    "PiiDetector",
    "PiiEntity",
    "SaltedHash",
    "TypeTag",
    "keep_last",
    "mask",
    "mask_findings",
    "mask_text",
    "operator_from_spec",
    "scan_turns",
]
