"""LeakPolicy: which detected entities count as a leak, configurable per institution.

The privacy.* categories are about what the agent (or bot) says: a customer stating their
own number is not an agent leak (it is still masked in storage). Masked forms are not leaks
unless an institution caps how many digits a masked form may show (e.g. last four only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, ValidationError, field_validator

from hegui.engine.normalise import normalise
from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PII_TYPES, PiiEntity
from hegui.engine.pii.errors import PolicyError
from hegui.engine.pii.masked import visible_digits
from hegui.engine.vocabulary import PiiType, Role

DEFAULT_ROLES: frozenset[Role] = frozenset({"agent", "bot"})


class LeakPolicy(BaseModel):
    """Per-institution leak rules.

    leak_types: entity types that count as leaks.
    roles: speakers whose utterances can leak.
    min_score: entities below this confidence are ignored.
    max_visible_digits: per type, how many digits a masked form may show (尾号1234 shows 4);
        a type not listed here never leaks through a masked form.
    exempt: entity texts never counted (the institution's own public numbers); compared
        after normalisation, so "010-6234 5678" exempts 01062345678.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    leak_types: frozenset[PiiType] = frozenset(PII_TYPES)
    roles: frozenset[Role] = DEFAULT_ROLES
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    max_visible_digits: dict[PiiType, NonNegativeInt] = Field(default_factory=dict)
    exempt: frozenset[str] = frozenset()

    @field_validator("exempt")
    @classmethod
    def _canonical_exempt(cls, exempt: frozenset[str]) -> frozenset[str]:
        return frozenset(_canonical(text) for text in exempt)

    @property
    def wants_masked(self) -> bool:
        """Whether masked forms can leak, so a caller must also `scan_masked`."""
        return bool(self.max_visible_digits)

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
        limit = cast("Mapping[str, int]", self.max_visible_digits).get(entity.type)
        if limit is None or role not in self.roles or entity.type not in self.leak_types:
            return False
        return visible_digits(entity.text) > limit

    def leaks_in(
        self, entities: Sequence[PiiEntity], role: str, masked: Sequence[PiiEntity] = ()
    ) -> list[PiiEntity]:
        """The leaks among entities already found in one utterance (`detector.scan`, and
        `detector.scan_masked` when `wants_masked`): a filter, no scan."""
        if role not in self.roles:
            return []
        found = [e for e in entities if self.is_leak(e, role)]
        found += [e for e in masked if self.masked_is_leak(e, role)]
        return sorted(found, key=lambda e: (e.start, e.end))

    def leaks(self, detector: PiiDetector, text: str, role: str) -> list[PiiEntity]:
        """All leaks in one utterance: scans it, then `leaks_in`."""
        if role not in self.roles:
            return []
        masked = detector.scan_masked(text) if self.wants_masked else []
        return self.leaks_in(detector.scan(text), role, masked)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LeakPolicy:
        """Build from configuration (keys as the fields; lists for sets)."""
        if not isinstance(data, Mapping):
            raise PolicyError("泄露策略必须是映射 a leak policy is a mapping")
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise PolicyError.of("泄露策略", "leak policy", exc) from exc


def _canonical(text: str) -> str:
    return "".join(c for c in normalise(text).text if c.isalnum())
