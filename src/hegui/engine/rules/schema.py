"""The rule language: pydantic models that a YAML rule pack is validated against.

A condition is a small tree; leaves match text in one utterance (keywords, regex, pii),
look at earlier utterances (previous), or at conversation metadata. A rule is one
*kind* (when / must_say / sequence / count / timing), each compiled by its own class.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from hegui.engine.rules.regex import compile_rule_regex
from hegui.engine.textmodel.intents import SEMANTIC_INTENTS
from hegui.engine.vocabulary import (
    RULE_KINDS,
    Channel,
    Industry,
    PiiType,
    Role,
    Severity,
)

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: Any) -> Any:
    """A single value where a list is expected; numbers (12378) read as text."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list):
        return [
            str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in value
        ]
    return value


class KeywordsCond(Strict):
    """Phrases, matched on normalised text (case, width, traditional, spaces, punctuation)."""

    keywords: list[str] = Field(min_length=1)
    homophones: bool = False
    negation: bool = True
    except_: list[str] = Field(default_factory=list, alias="except")

    _listify = field_validator("keywords", "except_", mode="before")(_as_list)

    @field_validator("keywords")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        if any(not k.strip() for k in value):
            raise ValueError("empty keyword / 关键词不能为空")
        return value


class RegexCond(Strict):
    """RE2 regular expressions (linear time), applied to the normalised compact text."""

    regex: list[str] = Field(min_length=1)
    negation: bool = False
    except_: list[str] = Field(default_factory=list, alias="except")

    _listify = field_validator("regex", "except_", mode="before")(_as_list)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            compile_rule_regex(pattern)  # raises RegexRejected (a ValueError) naming the construct
        return value


class PiiCond(Strict):
    """Personal information of the given types, found by the PII detectors."""

    pii: list[PiiType] = Field(min_length=1)
    min_score: float = 0.5

    _listify = field_validator("pii", mode="before")(_as_list)


class SemanticSpec(Strict):
    """An intent of the semantic model and the calibrated score it must reach."""

    intent: str
    min_score: float = Field(default=0.8, gt=0, lt=1)

    @field_validator("intent")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SEMANTIC_INTENTS:
            raise ValueError(
                f"未知语义意图 unknown semantic intent {value!r}; choose from "
                + ", ".join(SEMANTIC_INTENTS)
            )
        return value


class SemanticCond(Strict):
    """The semantic model scores the utterance as meaning `intent` (at least `min_score`).

    `semantic: compliance.guarantee_return` is short for
    `semantic: {intent: compliance.guarantee_return, min_score: 0.8}`."""

    semantic: SemanticSpec

    @field_validator("semantic", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"intent": value} if isinstance(value, str) else value


class MetadataCond(Strict):
    """Compare a conversation metadata field with a value or another field.

    Risk levels (R1..R5, C1..C5) compare by their number, so R4 > C3.
    """

    metadata: str
    op: Literal["eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "exists", "missing"] = "exists"
    value: Any = None
    field: str | None = None

    @model_validator(mode="after")
    def _operand(self) -> MetadataCond:
        needs = self.op not in ("exists", "missing")
        if needs and (self.value is None) == (self.field is None):
            raise ValueError(f"op {self.op!r} needs exactly one of 'value' or 'field'")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"op {self.op!r} needs a list 'value'")
        return self


class NearCond(Strict):
    """Both conditions hit in the same utterance, their spans at most `within` chars apart."""

    near: list[Condition] = Field(min_length=2, max_length=2)
    within: int = Field(ge=0)


class PreviousCond(Strict):
    """Some of the previous `within` utterances (optionally by these roles) satisfy a condition."""

    previous: Condition
    within: int = Field(default=3, ge=1)
    roles: list[Role] | None = None


class RoleCond(Strict):
    """The utterance is spoken by one of these roles (useful inside sequence steps)."""

    role: list[Role] = Field(min_length=1)

    _listify = field_validator("role", mode="before")(_as_list)


class AllCond(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCond(Strict):
    any: list[Condition] = Field(min_length=1)


class NoneCond(Strict):
    none: list[Condition] = Field(min_length=1)


CONDITION_KEYS = {
    "keywords": KeywordsCond,
    "regex": RegexCond,
    "pii": PiiCond,
    "semantic": SemanticCond,
    "metadata": MetadataCond,
    "near": NearCond,
    "previous": PreviousCond,
    "role": RoleCond,
    "all": AllCond,
    "any": AnyCond,
    "none": NoneCond,
}


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((key for key in CONDITION_KEYS if key in value), None)
    for key, model in CONDITION_KEYS.items():
        if isinstance(value, model):
            return key
    return None


Condition = Annotated[
    Annotated[KeywordsCond, Tag("keywords")]
    | Annotated[RegexCond, Tag("regex")]
    | Annotated[PiiCond, Tag("pii")]
    | Annotated[SemanticCond, Tag("semantic")]
    | Annotated[MetadataCond, Tag("metadata")]
    | Annotated[NearCond, Tag("near")]
    | Annotated[PreviousCond, Tag("previous")]
    | Annotated[RoleCond, Tag("role")]
    | Annotated[AllCond, Tag("all")]
    | Annotated[AnyCond, Tag("any")]
    | Annotated[NoneCond, Tag("none")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message="条件须含以下之一 a condition needs one of: "
        + ", ".join(CONDITION_KEYS),
    ),
]


class Scope(Strict):
    """Which utterances and conversations a rule looks at."""

    roles: list[Role] = Field(default_factory=lambda: list[Role](["agent", "bot"]))
    channels: list[Channel] | None = None
    industries: list[Industry] | None = None
    first: int | None = Field(default=None, ge=1)
    last: int | None = Field(default=None, ge=1)
    first_seconds: float | None = Field(default=None, gt=0)
    last_seconds: float | None = Field(default=None, gt=0)
    metadata: list[MetadataCond] = Field(default_factory=list)

    _listify = field_validator("roles", "channels", "industries", mode="before")(_as_list)

    def deferred_scope(self) -> bool:
        return self.last is not None or self.last_seconds is not None


class CountSpec(Strict):
    condition: Condition
    at_least: int = Field(ge=2)


class SilenceSpec(Strict):
    min_seconds: float = Field(gt=0)


class InterruptionSpec(Strict):
    min_overlap_seconds: float = Field(default=0.5, gt=0)


class ResponseTimeSpec(Strict):
    max_seconds: float = Field(gt=0)


class SpeechRateSpec(Strict):
    max_chars_per_second: float = Field(gt=0)
    min_chars: int = Field(default=8, ge=1)


class ExampleUtterance(Strict):
    role: Role
    text: str
    start: float | None = None
    end: float | None = None
    at: str | None = None


class ExampleConversation(Strict):
    channel: Channel = "phone"
    industry: Industry | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    utterances: list[ExampleUtterance] = Field(min_length=1)

    @field_validator("utterances", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """Accept `- agent: 您好` as well as `- {role: agent, text: 您好}`."""
        if not isinstance(value, list):
            return value
        out = []
        for item in value:
            if isinstance(item, dict) and len(item) == 1 and "role" not in item:
                ((role, text),) = item.items()
                item = {"role": role, "text": text}
            out.append(item)
        return out


class SingleUtteranceExample(Strict):
    text: str
    role: Role | None = None
    channel: Channel = "phone"
    metadata: dict[str, Any] = Field(default_factory=dict)


Example = str | SingleUtteranceExample | ExampleConversation


def _wrap_conversation(value: Any) -> Any:
    if isinstance(value, dict) and "conversation" in value:
        return value["conversation"]
    return value


class Examples(Strict):
    match: list[Example] = Field(min_length=1)
    no_match: list[Example] = Field(min_length=1)

    @field_validator("match", "no_match", mode="before")
    @classmethod
    def _unwrap(cls, value: Any) -> Any:
        return [_wrap_conversation(v) for v in value] if isinstance(value, list) else value


class RuleSpec(Strict):
    id: str
    version: int = Field(default=1, ge=1)
    category: str
    severity: Severity | None = None
    message: str = Field(min_length=1)
    message_en: str | None = Field(default=None, min_length=1)  # English, shown after the Chinese
    description: str = ""
    source: str | None = None
    scope: Scope = Field(default_factory=Scope)
    enabled: bool = True

    when: Condition | None = None
    must_say: Condition | None = None
    after: Condition | None = None
    within_turns: int | None = Field(default=None, ge=1)
    sequence: list[Condition] | None = Field(default=None, min_length=2)
    count: CountSpec | None = None
    silence: SilenceSpec | None = None
    interruption: InterruptionSpec | None = None
    response_time: ResponseTimeSpec | None = None
    speech_rate: SpeechRateSpec | None = None

    examples: Examples

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"rule id {value!r} must look like 'pack.group.name' (a-z 0-9 _ .)")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> RuleSpec:
        kinds = [k for k in RULE_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            choices, got = ", ".join(RULE_KINDS), kinds or "none"
            raise ValueError(f"rule {self.id}: give exactly one of {choices} (got {got})")
        if self.after is not None and self.must_say is None:
            raise ValueError(f"rule {self.id}: 'after' only goes with 'must_say'")
        if self.within_turns is not None and self.must_say is None:
            raise ValueError(f"rule {self.id}: 'within_turns' only goes with 'must_say'")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in RULE_KINDS if getattr(self, k) is not None)


SYNONYM = re.compile(r"\{([^{}]+)\}")
MAX_EXPANSION = 256


def expand_synonyms(phrase: str, synonyms: dict[str, list[str]]) -> list[str]:
    """`{保证}收益` with synonyms {保证: [保证, 确保, 包]} → 保证收益, 确保收益, 包收益."""
    names = SYNONYM.findall(phrase)
    if not names:
        return [phrase]
    out = [""]
    for literal, name in zip(SYNONYM.split(phrase)[::2], [*names, None], strict=True):
        options = [""] if name is None else synonyms.get(name.strip())
        if options is None:
            raise ValueError(f"未定义的同义词组 unknown synonym group {{{name}}} in {phrase!r}")
        out = [head + literal + option for head in out for option in options]
        if len(out) > MAX_EXPANSION:
            raise ValueError(f"{phrase!r} expands to more than {MAX_EXPANSION} phrases")
    return out


def _expand_tree(node: Any, synonyms: dict[str, list[str]]) -> Any:
    if isinstance(node, list):
        return [_expand_tree(item, synonyms) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("keywords", "except") and isinstance(value, list | str):
            items = [value] if isinstance(value, str) else value
            value = [p for item in items for p in expand_synonyms(str(item), synonyms)]
        elif key != "examples":
            value = _expand_tree(value, synonyms)
        out[key] = value
    return out


class PackSpec(Strict):
    pack: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = ""
    industries: list[Industry] = Field(default_factory=list)
    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[RuleSpec]

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        """Keywords may name a synonym group of the pack: `{保证}收益`."""
        if not isinstance(data, dict) or not isinstance(data.get("synonyms"), dict):
            return data
        synonyms = {
            str(k): [str(v) for v in _as_list(vals)] for k, vals in data["synonyms"].items()
        }
        return {**data, "rules": _expand_tree(data.get("rules"), synonyms)}


for _model in (NearCond, PreviousCond, AllCond, AnyCond, NoneCond, CountSpec, RuleSpec):
    _model.model_rebuild()
