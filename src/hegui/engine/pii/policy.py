"""LeakPolicy: which detected entities count as a leak, configurable per institution.

The privacy.* categories are about what the agent (or bot) says: a customer stating their
own number is not an agent leak (it is still masked in storage). Masked forms are not leaks
unless an institution caps how many digits a masked form may show (e.g. last four only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hegui.engine.normalise import normalise
from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PII_TYPES, PiiEntity
from hegui.engine.pii.masked import visible_digits

DEFAULT_ROLES = frozenset({"agent", "bot"})


@dataclass(frozen=True, slots=True)
class LeakPolicy:
    """Per-institution leak rules.

    leak_types: entity types that count as leaks.
    roles: speakers whose utterances can leak.
    min_score: entities below this confidence are ignored.
    max_visible_digits: per type, how many digits a masked form may show (尾号1234 shows 4);
        a type not listed here never leaks through a masked form.
    exempt: normalised entity texts never counted (the institution's own public numbers).
    """

    leak_types: frozenset[str] = frozenset(PII_TYPES)
    roles: frozenset[str] = DEFAULT_ROLES
    min_score: float = 0.5
    max_visible_digits: Mapping[str, int] = field(default_factory=dict)
    exempt: frozenset[str] = frozenset()

    def is_leak(self, entity: PiiEntity, role: str) -> bool:
        """Whether an unmasked entity said by `role` is a leak."""
        return (
            role in self.roles
            and entity.type in self.leak_types
            and entity.score >= self.min_score
            and _canonical(entity.text) not in self.exempt
        )

    def masked_is_leak(self, entity: PiiEntity, role: str) -> bool:
        """Whether a masked form shows more digits than this institution allows."""
        limit = self.max_visible_digits.get(entity.type)
        if limit is None or role not in self.roles or entity.type not in self.leak_types:
            return False
        return visible_digits(entity.text) > limit

    def leaks(self, detector: PiiDetector, text: str, role: str) -> list[PiiEntity]:
        """All leaks in one utterance: unmasked entities and over-revealing masked forms."""
        if role not in self.roles:
            return []
        found = [e for e in detector.scan(text) if self.is_leak(e, role)]
        if self.max_visible_digits:
            found += [e for e in detector.scan_masked(text) if self.masked_is_leak(e, role)]
        return sorted(found, key=lambda e: (e.start, e.end))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> LeakPolicy:
        """Build from configuration (keys as the fields; lists for sets)."""
        known = {"leak_types", "roles", "min_score", "max_visible_digits", "exempt"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown leak policy keys: {sorted(unknown)}")
        types = frozenset(_strings(data.get("leak_types", PII_TYPES)))
        if types - frozenset(PII_TYPES):
            raise ValueError(f"unknown PII types: {sorted(types - frozenset(PII_TYPES))}")
        limits = data.get("max_visible_digits", {})
        if not isinstance(limits, Mapping):
            raise ValueError("max_visible_digits must map type -> int")
        min_score = data.get("min_score", 0.5)
        if not isinstance(min_score, int | float):
            raise ValueError("min_score must be a number")
        return cls(
            leak_types=types,
            roles=frozenset(_strings(data.get("roles", DEFAULT_ROLES))),
            min_score=float(min_score),
            max_visible_digits={str(k): int(v) for k, v in limits.items()},
            exempt=frozenset(_canonical(s) for s in _strings(data.get("exempt", ()))),
        )


def _strings(value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return [str(v) for v in value]


def _canonical(text: str) -> str:
    return "".join(c for c in normalise(text).text if c.isalnum())
