"""Masking operators, a MaskPolicy (type → operator) and mask_text, with an offset map so
spans of other findings can be moved into the masked text without being corrupted."""

from __future__ import annotations

import hashlib
import hmac
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hegui.engine.normalise import normalise
from hegui.engine.numerals import DIGIT as SPOKEN_DIGIT
from hegui.engine.pii import validators as v
from hegui.engine.pii.entity import PII_TYPES, TYPE_LABELS, PiiEntity

_SEPARATORS = frozenset(" \u3000-－·.,，、@_")
_SPOKEN_DIGITS = "零一二三四五六七八九"


class MaskOperator(Protocol):
    """Turns one entity into its replacement text."""

    def apply(self, entity: PiiEntity) -> str: ...


@dataclass(frozen=True, slots=True)
class FullMask:
    """Every char but separators becomes `char`; the length is kept (138 1234 → *** ****)."""

    char: str = "*"

    def apply(self, entity: PiiEntity) -> str:
        return "".join(c if c in _SEPARATORS else self.char for c in entity.text)


@dataclass(frozen=True, slots=True)
class PartialMask:
    """Keep the first `first` and last `last` significant chars (keep-last-N: first=0)."""

    first: int = 0
    last: int = 4
    char: str = "*"

    def apply(self, entity: PiiEntity) -> str:
        positions = [i for i, c in enumerate(entity.text) if c not in _SEPARATORS]
        tail = positions[max(0, len(positions) - self.last) :] if self.last else []
        shown = set(positions[: self.first]) | set(tail)
        if len(shown) >= len(positions):  # too short to keep anything visible
            shown = set()
        return "".join(
            c if i in shown or c in _SEPARATORS else self.char for i, c in enumerate(entity.text)
        )


def keep_last(n: int = 4, char: str = "*") -> PartialMask:
    return PartialMask(0, n, char)


@dataclass(frozen=True, slots=True)
class TypeTag:
    """A tag naming the type: 【身份证号】."""

    template: str = "【{label}】"

    def apply(self, entity: PiiEntity) -> str:
        return self.template.format(
            label=TYPE_LABELS.get(entity.type, entity.type), type=entity.type
        )


@dataclass(frozen=True, slots=True)
class SaltedHash:
    """A stable keyed digest: the same value (however written or spoken) gives the same tag,
    so records can be joined without revealing the value."""

    salt: str
    length: int = 12

    def apply(self, entity: PiiEntity) -> str:
        digest = hmac.new(self.salt.encode(), _canonical(entity).encode(), hashlib.sha256)
        label = TYPE_LABELS.get(entity.type, entity.type)
        return f"【{label}#{digest.hexdigest()[: self.length]}】"


@dataclass(frozen=True, slots=True)
class FormatPreserving:
    """Keyed, deterministic substitution that keeps the shape: digits stay digits (spoken
    numerals stay numerals), letters stay letters, separators stay; ID check characters
    and bank-card Luhn digits are recomputed so the result still validates. A pseudonym,
    not encryption: it cannot be reversed."""

    key: str

    def apply(self, entity: PiiEntity) -> str:
        stream = _keystream(self.key, _canonical(entity), len(entity.text) + 4)
        out = "".join(_substitute(c, b) for c, b in zip(entity.text, stream, strict=False))
        return _fix_check(entity.type, out, stream[-4:])


def _canonical(entity: PiiEntity) -> str:
    return f"{entity.type}:{normalise(entity.text).text}"


def _keystream(key: str, message: str, size: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < size:
        block = f"{counter}:{message}".encode()
        out += hmac.new(key.encode(), block, hashlib.sha256).digest()
        counter += 1
    return out[:size]


def _substitute(c: str, b: int) -> str:
    if "0" <= c <= "9":
        return str(b % 10)
    if c in SPOKEN_DIGIT:
        return _SPOKEN_DIGITS[b % 10]
    if "a" <= c <= "z":
        return chr(ord("a") + b % 26)
    if "A" <= c <= "Z":
        return chr(ord("A") + b % 26)
    return c


def _fix_check(kind: str, text: str, extra: bytes) -> str:
    """Make a pseudonymous ID or card number validate again (date, check char, Luhn);
    separators stay where they were."""
    slots = [i for i, c in enumerate(text) if c.isascii() and c.isalnum()]
    value = "".join(text[i] for i in slots)
    if kind == "id_number" and len(value) == 18 and value[:17].isdigit():
        provinces = sorted(v.ID_PROVINCES)
        region = provinces[extra[0] % len(provinces)] + value[2:6]
        birth = f"{1940 + extra[1] % 70}{1 + extra[2] % 12:02d}{1 + extra[3] % 28:02d}"
        first17 = region + birth + value[14:17]
        fixed = first17 + v.id_check_char(first17)
    elif kind == "bank_card" and 16 <= len(value) <= 19 and value.isdigit():
        body = value[:-1]
        fixed = body + next(d for d in "0123456789" if v.luhn_valid(body + d))
    else:
        return text
    chars = list(text)
    for i, c in zip(slots, fixed, strict=True):
        chars[i] = c
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class MaskPolicy:
    """Which operator masks which type; `default` for types not listed."""

    default: MaskOperator = field(default_factory=TypeTag)
    by_type: Mapping[str, MaskOperator] = field(default_factory=dict)

    def operator_for(self, kind: str) -> MaskOperator:
        return self.by_type.get(kind, self.default)

    @classmethod
    def preset(cls, name: str, *, salt: str = "") -> MaskPolicy:
        """tag (default), full, partial (phones 138****5678, others keep last 4), hash, fpe."""
        if name == "tag":
            return cls()
        if name == "full":
            return cls(FullMask())
        if name == "partial":
            last4 = keep_last(4)
            numbers = ("bank_card", "id_number", "passport", "travel_permit", "credit_code")
            by_type: dict[str, MaskOperator] = dict.fromkeys(numbers, last4)
            by_type |= {"phone": PartialMask(3, 4), "person_name": PartialMask(1, 0)}
            return cls(TypeTag(), by_type)
        if name in ("hash", "fpe"):
            if not salt:
                raise ValueError(f"mask preset {name!r} needs a salt/key")
            if name == "hash":
                return cls(SaltedHash(salt))
            # Chinese text has no format to keep: addresses and names get the keyed hash.
            hashed: dict[str, MaskOperator] = dict.fromkeys(
                ("address", "person_name"), SaltedHash(salt)
            )
            return cls(FormatPreserving(salt), hashed)
        raise ValueError(f"unknown mask preset {name!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> MaskPolicy:
        """{"default": OP, "types": {type: OP}} with OP a preset-style spec: "tag", "full",
        {"op": "keep_last", "n": 4}, {"op": "partial", "first": 3, "last": 4},
        {"op": "hash", "salt": "..."}, {"op": "fpe", "key": "..."}."""
        types = data.get("types", {})
        if not isinstance(types, Mapping):
            raise ValueError("'types' must map a PII type to an operator")
        unknown = set(types) - set(PII_TYPES)
        if unknown:
            raise ValueError(f"unknown PII types: {sorted(unknown)}")
        return cls(
            operator_from_spec(data.get("default", "tag")),
            {str(k): operator_from_spec(spec) for k, spec in types.items()},
        )


def operator_from_spec(spec: object) -> MaskOperator:
    if isinstance(spec, str):
        spec = {"op": spec}
    if not isinstance(spec, Mapping):
        raise ValueError(f"bad mask operator {spec!r}")
    op = spec.get("op")
    if op == "tag":
        return TypeTag(str(spec.get("template", "【{label}】")))
    if op == "full":
        return FullMask(str(spec.get("char", "*")))
    if op == "keep_last":
        return keep_last(int(spec.get("n", 4)), str(spec.get("char", "*")))
    if op == "partial":
        return PartialMask(int(spec.get("first", 0)), int(spec.get("last", 4)))
    if op == "hash":
        return SaltedHash(str(spec["salt"]), int(spec.get("length", 12)))
    if op == "fpe":
        return FormatPreserving(str(spec["key"]))
    raise ValueError(f"unknown mask operator {op!r}")


@dataclass(frozen=True, slots=True)
class Masked:
    """A masked text and the replaced segments: (orig_start, orig_end, new_start, new_end)."""

    text: str
    segments: tuple[tuple[int, int, int, int], ...]

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Move a span of the original text into the masked text; a span touching a masked
        entity grows to cover its whole replacement."""
        return self._map(start, left=True), self._map(end, left=False)

    def _map(self, pos: int, *, left: bool) -> int:
        i = bisect_right([s[0] for s in self.segments], pos) - 1
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
            raise ValueError(f"entity {e!r} does not match the text it is applied to")
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
