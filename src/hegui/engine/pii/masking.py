"""A MaskPolicy (type → operator), and mask(): the masked text with an offset map, so spans
of other findings can be moved into the masked text without being corrupted."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from hegui.engine.pii.entity import PiiEntity
from hegui.engine.pii.errors import PolicyError
from hegui.engine.pii.operators import (
    FormatPreserving,
    FullMask,
    KeepLast,
    MaskOperator,
    Operator,
    PartialMask,
    SaltedHash,
    TypeTag,
)
from hegui.engine.vocabulary import PiiType

_SALTED = {"hash": "salt", "fpe": "key"}


class MaskPolicy(BaseModel):
    """Which operator masks which type; `default` for types not listed. From configuration:
    {"default": OP, "types": {type: OP}} with OP "tag", "full", {"op": "keep_last", "n": 4},
    {"op": "partial", "first": 3, "last": 4}, {"op": "hash", "salt": "..."},
    {"op": "fpe", "key": "..."}."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True
    )

    default: Operator = Field(default_factory=TypeTag)
    by_type: dict[PiiType, Operator] = Field(default_factory=dict, alias="types")

    def __init__(
        self,
        default: MaskOperator | None = None,
        by_type: Mapping[str, MaskOperator] | None = None,
        **data: Any,
    ) -> None:
        if default is not None:
            data["default"] = default
        if by_type is not None:
            data["by_type"] = dict(by_type)
        super().__init__(**data)

    def operator_for(self, kind: str) -> MaskOperator:
        operators = cast("Mapping[str, MaskOperator]", self.by_type)
        return operators.get(kind, self.default)

    @classmethod
    def preset(cls, name: str, *, salt: str = "") -> MaskPolicy:
        """tag (default), full, partial (phones 138****5678, others keep last 4), hash, fpe."""
        if name == "tag":
            return cls()
        if name == "full":
            return cls(FullMask())
        if name == "partial":
            numbers = ("bank_card", "id_number", "passport", "travel_permit", "credit_code")
            by_type: dict[str, MaskOperator] = dict.fromkeys(numbers, KeepLast(4))
            by_type |= {"phone": PartialMask(3, 4), "person_name": PartialMask(1, 0)}
            return cls(TypeTag(), by_type)
        if name in ("hash", "fpe"):
            if not salt:
                raise PolicyError(
                    f"脱敏预设 {name!r} 需要盐/密钥 mask preset {name!r} needs a salt/key"
                )
            if name == "hash":
                return cls(SaltedHash(salt))
            # Chinese text has no format to keep: addresses, names and balances get the keyed hash.
            return cls(
                FormatPreserving(salt),
                dict.fromkeys(("address", "person_name", "account_balance"), SaltedHash(salt)),
            )
        raise PolicyError(f"未知的脱敏预设 unknown mask preset {name!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, salt: str = "") -> MaskPolicy:
        """From configuration (see the class docstring). A top-level "salt" (or `salt`)
        fills hash and fpe operators given without one."""
        if not isinstance(data, Mapping):
            raise PolicyError("脱敏策略必须是映射 a mask policy is a mapping")
        config = dict(data)
        salt = str(config.pop("salt", "") or salt)
        try:
            return cls.model_validate(_with_salt(config, salt))
        except ValidationError as exc:
            raise PolicyError.of("脱敏策略", "mask policy", exc) from exc


def _with_salt(config: dict[str, object], salt: str) -> dict[str, object]:
    def fill(spec: object) -> object:
        if isinstance(spec, str) and spec in _SALTED:
            spec = {"op": spec}
        if isinstance(spec, Mapping) and spec.get("op") in _SALTED and salt:
            key = _SALTED[str(spec["op"])]
            spec = {**spec, key: spec.get(key) or salt}
        return spec

    if "default" in config:
        config["default"] = fill(config["default"])
    types = config.get("types")
    if isinstance(types, Mapping):
        config["types"] = {k: fill(v) for k, v in types.items()}
    return config


_OPERATOR: TypeAdapter[Any] = TypeAdapter(Operator)


def operator_from_spec(spec: object) -> MaskOperator:
    """One operator from configuration ("tag", {"op": "keep_last", "n": 4}…)."""
    try:
        operator: MaskOperator = _OPERATOR.validate_python(spec)
    except ValidationError as exc:
        raise PolicyError.of("脱敏算子", "mask operator", exc) from exc
    return operator


@dataclass(frozen=True, slots=True)
class Masked:
    """A masked text and the replaced segments: (orig_start, orig_end, new_start, new_end)."""

    text: str
    segments: tuple[tuple[int, int, int, int], ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s[0] for s in self.segments))

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Move a span of the original text into the masked text; a span touching a masked
        entity grows to cover its whole replacement."""
        return self._map(start, left=True), self._map(end, left=False)

    def _map(self, pos: int, *, left: bool) -> int:
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        o_start, o_end, n_start, n_end = self.segments[i]
        if pos >= o_end:
            return n_end + (pos - o_end)
        if pos == o_start:
            return n_start
        return n_start if left else n_end


def mask(text: str, entities: Sequence[PiiEntity], policy: MaskPolicy) -> Masked:
    """Replace each entity per `policy`; overlapping entities are masked as one span."""
    out: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    last = 0
    length = 0
    for entity in _merged(text, entities):
        out.append(text[last : entity.start])
        length += entity.start - last
        replacement = policy.operator_for(entity.type).apply(entity)
        segments.append((entity.start, entity.end, length, length + len(replacement)))
        out.append(replacement)
        length += len(replacement)
        last = entity.end
    out.append(text[last:])
    return Masked("".join(out), tuple(segments))


def mask_text(text: str, entities: Sequence[PiiEntity], policy: MaskPolicy) -> str:
    return mask(text, entities, policy).text


def _merged(text: str, entities: Sequence[PiiEntity]) -> list[PiiEntity]:
    merged: list[PiiEntity] = []
    for e in sorted(entities, key=lambda e: (e.start, -e.end)):
        if not 0 <= e.start < e.end <= len(text) or text[e.start : e.end] != e.text:
            raise ValueError(f"实体与文本不符 entity {e!r} does not match the text it masks")
        if merged and e.start < merged[-1].end:
            prev = merged[-1]
            if e.end > prev.end:
                end = e.end
                merged[-1] = PiiEntity(
                    prev.type, prev.start, end, text[prev.start : end], prev.score
                )
            continue
        merged.append(e)
    return merged
