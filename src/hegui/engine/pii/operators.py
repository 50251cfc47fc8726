"""Masking operators: each turns one entity into its replacement text. They are pydantic
models, so a policy read from configuration is validated field by field ({"op": "partial",
"first": 3}); in code they are built positionally too (`PartialMask(3, 4)`)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from hegui.engine.normalise import normalise
from hegui.engine.numerals import DIGIT as SPOKEN_DIGIT
from hegui.engine.pii import validators as v
from hegui.engine.pii.entity import TYPE_LABELS, PiiEntity

_SEPARATORS = frozenset(" \u3000-－·.,，、@_")
_SPOKEN_DIGITS = "零一二三四五六七八九"


class MaskOperator(Protocol):
    """Turns one entity into its replacement text."""

    def apply(self, entity: PiiEntity) -> str: ...


class _Operator(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _given(data: dict[str, Any], **positional: object) -> dict[str, Any]:
    """Keyword data plus the positional arguments actually given: pydantic validates the
    lot (and calls __init__ when it validates configuration, so nothing may be required)."""
    return {**data, **{k: v for k, v in positional.items() if v is not None}}


class FullMask(_Operator):
    """Every char but separators becomes `char`; the length is kept (138 1234 → *** ****)."""

    op: Literal["full"] = "full"
    char: str = Field(default="*", min_length=1, max_length=1)

    def __init__(self, char: str | None = None, **data: Any) -> None:
        super().__init__(**_given(data, char=char))

    def apply(self, entity: PiiEntity) -> str:
        return "".join(c if c in _SEPARATORS else self.char for c in entity.text)


class PartialMask(_Operator):
    """Keep the first `first` and last `last` significant chars (138****5678: 3 and 4)."""

    op: Literal["partial"] = "partial"
    first: int = Field(default=0, ge=0)
    last: int = Field(default=4, ge=0)
    char: str = Field(default="*", min_length=1, max_length=1)

    def __init__(
        self,
        first: int | None = None,
        last: int | None = None,
        char: str | None = None,
        **data: Any,
    ) -> None:
        super().__init__(**_given(data, first=first, last=last, char=char))

    def apply(self, entity: PiiEntity) -> str:
        first, last = self.first if entity.opens else 0, self.last if entity.closes else 0
        return _partial(entity.text, first, last, self.char)


class KeepLast(_Operator):
    """Only the last `n` significant chars stay (*******5678)."""

    op: Literal["keep_last"] = "keep_last"
    n: int = Field(default=4, ge=0)
    char: str = Field(default="*", min_length=1, max_length=1)

    def __init__(self, n: int | None = None, char: str | None = None, **data: Any) -> None:
        super().__init__(**_given(data, n=n, char=char))

    def apply(self, entity: PiiEntity) -> str:
        return _partial(entity.text, 0, self.n if entity.closes else 0, self.char)


def keep_last(n: int = 4, char: str = "*") -> KeepLast:
    return KeepLast(n=n, char=char)


def _partial(text: str, first: int, last: int, char: str) -> str:
    positions = [i for i, c in enumerate(text) if c not in _SEPARATORS]
    tail = positions[max(0, len(positions) - last) :] if last else []
    shown = set(positions[:first]) | set(tail)
    if len(shown) >= len(positions):  # too short to keep anything visible
        shown = set()
    return "".join(c if i in shown or c in _SEPARATORS else char for i, c in enumerate(text))


class TypeTag(_Operator):
    """A tag naming the type: 【身份证号】. The template may use {label} and {type}."""

    op: Literal["tag"] = "tag"
    template: str = "【{label}】"

    def __init__(self, template: str | None = None, **data: Any) -> None:
        super().__init__(**_given(data, template=template))

    @field_validator("template")
    @classmethod
    def _known_fields(cls, template: str) -> str:
        try:
            template.format(label="", type="")
        except (KeyError, IndexError, ValueError) as exc:
            message = f"模板只能用 {{label}} 和 {{type}} only {{label}}, {{type}}: {exc}"
            raise ValueError(message) from exc
        return template

    def apply(self, entity: PiiEntity) -> str:
        return self.template.format(
            label=TYPE_LABELS.get(entity.type, entity.type), type=entity.type
        )


class SaltedHash(_Operator):
    """A stable keyed digest: the same value (however written or spoken) gives the same tag,
    so records can be joined without revealing the value."""

    op: Literal["hash"] = "hash"
    salt: str = Field(min_length=1)
    length: int = Field(default=12, ge=4, le=64)

    def __init__(self, salt: str | None = None, length: int | None = None, **data: Any) -> None:
        super().__init__(**_given(data, salt=salt, length=length))

    def apply(self, entity: PiiEntity) -> str:
        digest = hmac.new(self.salt.encode(), _canonical(entity).encode(), hashlib.sha256)
        label = TYPE_LABELS.get(entity.type, entity.type)
        return f"【{label}#{digest.hexdigest()[: self.length]}】"


class FormatPreserving(_Operator):
    """Keyed, deterministic substitution that keeps the shape: digits stay digits (spoken
    numerals stay numerals), letters stay letters, separators stay; ID check characters
    and bank-card Luhn digits are recomputed so the result still validates. A pseudonym,
    not encryption: it cannot be reversed."""

    op: Literal["fpe"] = "fpe"
    key: str = Field(min_length=1)

    def __init__(self, key: str | None = None, **data: Any) -> None:
        super().__init__(**_given(data, key=key))

    def apply(self, entity: PiiEntity) -> str:
        stream = _keystream(self.key, _canonical(entity), len(entity.text) + 4)
        out = "".join(_substitute(c, b) for c, b in zip(entity.text, stream, strict=False))
        return _fix_check(entity.type, out, stream[-4:])


def _as_spec(value: object) -> object:
    """ "tag" is short for {"op": "tag"}."""
    return {"op": value} if isinstance(value, str) else value


# Any operator, told apart by its "op" field when read from configuration.
Operator = Annotated[
    FullMask | PartialMask | KeepLast | TypeTag | SaltedHash | FormatPreserving,
    Field(discriminator="op"),
    BeforeValidator(_as_spec),
]


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
