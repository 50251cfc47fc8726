"""Conversation verdicts: whether something owed over a whole conversation was never said.

A missing risk warning or fee statement (the shipped model's two categories; a model may be
trained for any) is a judgement about the whole call — was a product that needs one really
sold here, and was the duty met in any words?
The must-say rules answer it from their trigger and obligation phrases; writers who never
saw the rules label it from the call's gist. A `VerdictModel` is a second, learnt reading:
one logistic model per category over

- the hashed character n-grams of every agent and bot utterance (their normalised compact
  texts, `HashedNgrams`), each bucket weighted 1/sqrt(number of buckets), and
- tokens naming what the rules found and what kind of call it is (`verdict_tokens`: each
  rule id and category found, the industry, whether the metadata names a product or its
  risk level), each worth `token_value`.

`apply_verdicts` then decides each of its categories at the conversation level: below the
category's threshold, the shipped rules' findings of it that cite no utterance (a
must-say's "never said") are set aside; at or above its add threshold (the same unless the model's
`meta.add_thresholds` sets a higher one), a category no rule found gets a model finding
(no utterance, the model's score). A rule's finding that cites an utterance
is never touched: it carries its own evidence; nor is a finding of a rule the model was not
trained with (a user's own rules). Live sessions reach the same result at close, since
the findings it can set aside or add are made at close only.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.model import Conversation, Finding
from hegui.engine.textmodel.features import HashedNgrams
from hegui.engine.textmodel.linear import (
    ModelFormatError,
    check_buckets,
    read_arrays,
    write_arrays,
)

FORMAT = "hegui.verdicts/1"
AGENT_ROLES = frozenset({"agent", "bot"})
RULE_ID_PREFIX = "model.verdict."


@dataclass(frozen=True, eq=False)
class VerdictModel:
    categories: tuple[str, ...]
    featurizer: HashedNgrams
    buckets: NDArray[np.uint32]  # sorted bucket ids that carry a weight
    weights: NDArray[np.float32]  # (len(buckets), len(categories))
    tokens: tuple[str, ...]  # token names that carry a weight
    token_weights: NDArray[np.float32]  # (len(tokens), len(categories))
    token_value: float
    bias: NDArray[np.float32]  # (len(categories),)
    thresholds: NDArray[np.float32]  # (len(categories),): a verdict at P ≥ threshold
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        k, t = len(self.categories), len(self.tokens)
        if k == 0 or len(set(self.categories)) != k:
            raise ModelFormatError("a verdict model needs distinct categories / 类别须唯一且非空")
        check_buckets(self.buckets, self.weights, k, self.featurizer.dims)
        if self.token_weights.shape != (t, k) or len(set(self.tokens)) != t:
            raise ModelFormatError("token weights do not match the tokens / 词元权重不匹配")
        if self.bias.shape != (k,) or self.thresholds.shape != (k,):
            raise ModelFormatError("bias / thresholds do not match the categories")
        for name in ("weights", "token_weights", "bias", "thresholds"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ModelFormatError(f"{name} holds a non-finite number")
        if not np.all((self.thresholds > 0) & (self.thresholds < 1)):
            raise ModelFormatError("thresholds must lie strictly between 0 and 1")
        if not isinstance(self.meta, Mapping):
            raise ModelFormatError("meta must be a mapping / meta 须为映射")
        adds = self.meta.get("add_thresholds", {})
        if not isinstance(adds, Mapping):
            raise ModelFormatError("meta.add_thresholds must map categories to numbers")
        for c, v in adds.items():
            # float32 thresholds: 0.3 is stored as 0.30000001, so allow a rounding's worth
            if not (
                c in self.categories
                and isinstance(v, (int, float))
                and self.threshold(c) - 1e-6 <= v < 1
            ):
                raise ModelFormatError(
                    f"meta.add_thresholds[{c!r}] = {v!r}: needs a category of the model and a "
                    "number from its threshold up to 1 / 需为本模型的类别、介于其阈值与 1 之间"
                )
        if not (math.isfinite(self.token_value) and self.token_value > 0):
            raise ModelFormatError("token_value must be a positive number")
        for array in (self.buckets, self.weights, self.token_weights, self.bias, self.thresholds):
            array.setflags(write=False)
        object.__setattr__(self, "_token_index", {tok: i for i, tok in enumerate(self.tokens)})

    def scores(self, compacts: Iterable[str], tokens: Iterable[str]) -> dict[str, float]:
        """P(category) for a conversation: its agent utterances' normalised compact texts and
        its `verdict_tokens`. Cost: linear in the agent text (one n-gram pass)."""
        found = text_buckets(self.featurizer, compacts)
        margin = self.bias.astype(np.float64)
        if found:
            wanted = np.array(found, dtype=np.uint32)
            hit = _matched(self.buckets, wanted)
            if hit.size:
                margin = margin + self.weights[hit].sum(axis=0) * bucket_value(len(found))
        index: dict[str, int] = self._token_index  # type: ignore[attr-defined]
        rows = sorted({index[tok] for tok in tokens if tok in index})
        if rows:
            margin = margin + self.token_value * self.token_weights[rows].sum(axis=0)
        probs = 1.0 / (1.0 + np.exp(-margin))
        return {c: float(p) for c, p in zip(self.categories, probs, strict=True)}

    def threshold(self, category: str) -> float:
        """Below it, the packs' never-said findings of the category are set aside."""
        return float(self.thresholds[self.categories.index(category)])

    def add_threshold(self, category: str) -> float:
        """At or above it, the model adds the category where no rule found it (the
        threshold itself unless `meta.add_thresholds` asks more of an addition)."""
        adds: Mapping[str, float] = self.meta.get("add_thresholds", {})
        return float(adds.get(category, self.threshold(category)))

    def knows_rule(self, rule_id: str) -> bool:
        """Whether the model was trained with this rule's findings (a user's own rule: no)."""
        return f"rule:{rule_id}" in self._token_index  # type: ignore[attr-defined]

    def to_bytes(self) -> bytes:
        scale = np.maximum(np.abs(self.weights).max(axis=0, initial=0.0), 1e-12) / 127.0
        quantised = np.round(self.weights / scale).astype(np.int8)
        header = {
            "format": FORMAT,
            "categories": list(self.categories),
            "featurizer": self.featurizer.to_dict(),
            "tokens": list(self.tokens),
            "token_value": self.token_value,
            "meta": dict(self.meta),
        }
        return write_arrays(
            {
                "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                "buckets": self.buckets.astype(np.uint32),
                "weights": quantised,
                "scale": scale.astype(np.float32),
                "token_weights": self.token_weights.astype(np.float32),
                "bias": self.bias.astype(np.float32),
                "thresholds": self.thresholds.astype(np.float32),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> VerdictModel:
        what = "not a verdict model file / 不是会话判定模型文件"
        arrays = read_arrays(data, what)
        need = ("header", "buckets", "weights", "scale", "token_weights", "bias", "thresholds")
        missing = [name for name in need if name not in arrays]
        if missing:
            raise ModelFormatError(f"{what}: missing {', '.join(missing)}")
        try:
            header = json.loads(arrays["header"].tobytes().decode())
        except (UnicodeDecodeError, ValueError) as exc:
            raise ModelFormatError(f"{what}: bad header ({exc})") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ModelFormatError(f"{what}: format is not {FORMAT}")
        meta = header.get("meta") or {}
        shapes = (
            ("categories", list),
            ("tokens", list),
            ("featurizer", dict),
            ("token_value", (int, float)),
        )
        for name, kind in shapes:
            if not isinstance(header.get(name), kind):
                raise ModelFormatError(f"{what}: header field {name!r} is missing or malformed")
        if not isinstance(meta, dict) or not isinstance(meta.get("version", 1), int):
            raise ModelFormatError(f"{what}: meta.version must be an integer")
        try:
            weights = arrays["weights"].astype(np.float32) * arrays["scale"].astype(np.float32)
            return cls(
                categories=tuple(str(c) for c in header["categories"]),
                featurizer=HashedNgrams.from_dict(header["featurizer"]),
                buckets=arrays["buckets"].astype(np.uint32),
                weights=weights,
                tokens=tuple(str(t) for t in header["tokens"]),
                token_weights=arrays["token_weights"].astype(np.float32),
                token_value=float(header["token_value"]),
                bias=arrays["bias"].astype(np.float32),
                thresholds=arrays["thresholds"].astype(np.float32),
                meta=dict(meta),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelFormatError):
                raise
            raise ModelFormatError(f"{what}: {exc}") from None


def _matched(buckets: NDArray[np.uint32], wanted: NDArray[np.uint32]) -> NDArray[np.intp]:
    """Rows of `buckets` (sorted) holding one of `wanted` (sorted)."""
    at = np.searchsorted(buckets, wanted)
    inside = at < buckets.shape[0]
    at, wanted = at[inside], wanted[inside]
    rows: NDArray[np.intp] = at[buckets[at] == wanted]
    return rows


def text_buckets(featurizer: HashedNgrams, compacts: Iterable[str]) -> list[int]:
    """The sorted distinct n-gram buckets of a conversation's agent utterances."""
    found: set[int] = set()
    for text in compacts:
        found.update(featurizer.buckets(text))
    return sorted(found)


def bucket_value(count: int) -> float:
    """What each of a conversation's `count` buckets weighs: long and short calls on one scale."""
    return 1.0 / math.sqrt(count) if count else 0.0


# A product named, or its risk level: only a real value counts (a CRM's "无" names nothing).
_NO_VALUE = frozenset({"", "无", "没有", "none", "null", "n/a", "na", "-", "/", "暂无", "未知"})
_RISK_LEVEL = re.compile(r"[rR]\s*[1-5]")


def verdict_tokens(conversation: Conversation, findings: Iterable[Finding]) -> list[str]:
    """What the rules found and what kind of call it is, as the model's tokens."""
    tokens = {f"industry:{conversation.industry}"}
    for f in findings:
        if f.rule_id.startswith(RULE_ID_PREFIX):
            continue  # the model's own verdicts are no input to it
        tokens.add(f"rule:{f.rule_id}")
        tokens.add(f"cat:{f.category}")
    metadata = conversation.metadata if isinstance(conversation.metadata, Mapping) else {}
    product, risk = metadata.get("product"), metadata.get("product_risk")
    if isinstance(product, str) and product.strip().lower() not in _NO_VALUE:
        tokens.add("meta:product")
    if isinstance(risk, str) and _RISK_LEVEL.fullmatch(risk.strip()):
        tokens.add("meta:product_risk")
    return sorted(tokens)


@dataclass(frozen=True, slots=True)
class VerdictLabel:
    """How a model verdict of one category reads: its severity and message."""

    severity: str
    message: str


def apply_verdicts(
    model: VerdictModel,
    conversation: Conversation,
    agent_compacts: Sequence[str],
    earlier: Sequence[Finding],
    final: Sequence[Finding],
    labels: Mapping[str, VerdictLabel],
) -> list[Finding]:
    """`final` (the findings a session makes at close) with the model's categories decided
    at the conversation level, given `earlier` (those it made while the call went on; never
    changed, so a live session and a batch inspection agree). See the module's docstring.
    Findings of other categories pass through unchanged."""
    scores = model.scores(agent_compacts, verdict_tokens(conversation, [*earlier, *final]))
    out: list[Finding] = []
    for f in final:
        p = scores.get(f.category)
        if (
            p is not None
            and f.utterance_index is None
            and p < model.threshold(f.category)
            and model.knows_rule(f.rule_id)  # a user's own rule is never overruled
        ):
            continue  # the model does not hear this duty as owed and unmet
        out.append(f)
    have = {f.category for f in (*earlier, *out)}
    for category, p in scores.items():
        if category in have or p < model.add_threshold(category) or category not in labels:
            continue
        label = labels[category]
        out.append(
            Finding(
                conversation_id=conversation.id,
                category=category,
                rule_id=RULE_ID_PREFIX + category,
                rule_version=int(model.meta.get("version", 1)),
                severity=label.severity,
                message=label.message,
                score=round(p, 3),
                detector="model",
            )
        )
    return out
