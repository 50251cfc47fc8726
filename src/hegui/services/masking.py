"""The institution's mask policy, applied to text before it is stored.

Stored utterances are masked the way the engine masks findings' evidence (numbers spoken
across consecutive turns included), so a finding's masked span points into stored text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from hegui.engine.pii import MaskPolicy, PiiDetector, mask_text, scan_turns
from hegui.errors import Invalid
from hegui.settings import Settings

PRESETS = ("tag", "partial", "full", "hash", "fpe")
POLICY_VAR = "HEGUI_MASK_POLICY"


def mask_policy(settings: Settings) -> MaskPolicy:
    """The policy `HEGUI_MASK_POLICY` names (a preset or a policy file); `Invalid` if bad."""
    name = settings.mask_policy.strip()
    salt = settings.mask_salt.get_secret_value() if settings.mask_salt else ""
    try:
        if name in PRESETS:
            return MaskPolicy.preset(name, salt=salt)
        return MaskPolicy.from_mapping(_policy_file(Path(name), salt))
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise Invalid(
            POLICY_VAR,
            f"脱敏策略无效 bad mask policy {name!r}: {exc} "
            f"(a preset: {', '.join(PRESETS)}; hash and fpe need HEGUI_MASK_SALT)",
        ) from exc


def _policy_file(path: Path, salt: str) -> Mapping[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ValueError(f"{path} must hold a mapping: default, types")
    types = data.get("types") or {}
    if not isinstance(types, Mapping):
        raise ValueError("'types' must map a PII type to an operator")
    return {
        "default": _salted(data.get("default", "tag"), salt),
        "types": {kind: _salted(spec, salt) for kind, spec in types.items()},
    }


def _salted(spec: Any, salt: str) -> Any:
    """hash and fpe operators without their own key take HEGUI_MASK_SALT."""
    if spec in ("hash", "fpe"):
        spec = {"op": spec}
    if isinstance(spec, Mapping) and spec.get("op") in ("hash", "fpe"):
        key = "salt" if spec["op"] == "hash" else "key"
        if not spec.get(key):
            if not salt:
                raise ValueError(f"operator {spec['op']!r} needs a key")
            return {**spec, key: salt}
    return spec


class Masker:
    """Masks utterances and free-form values by one policy, with one PII detector."""

    def __init__(self, policy: MaskPolicy, detector: PiiDetector) -> None:
        self.policy = policy
        self.detector = detector

    def turns(self, turns: Sequence[tuple[str, str]]) -> list[str]:
        """Each (role, text) turn's text, masked; a number split over turns is masked in all."""
        found = scan_turns(self.detector, turns)
        return [
            mask_text(text, entities, self.policy) if entities else text
            for (_, text), entities in zip(turns, found, strict=True)
        ]

    def value(self, value: Any) -> Any:
        """Every string inside a JSON value masked (metadata and unknown fields)."""
        if isinstance(value, str):
            entities = self.detector.scan(value)
            return mask_text(value, entities, self.policy) if entities else value
        if isinstance(value, Mapping):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value
