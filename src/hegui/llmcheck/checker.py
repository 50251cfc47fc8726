"""Asking llm rules of a conversation: k samples per rule, the agreeing share as the
confidence, asserted at or above the rule's threshold, sent to human review below it
(down to `min_agreement`), retried with backoff, cached, and bounded by a token budget.

Nothing here raises for the endpoint's sake: a run whose model is down, slow, out of
budget or answering nonsense goes on without llm findings and says so (`notices`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hegui.adapters.llm import ChatClient, ChatRequest, LlmError
from hegui.engine.kinds import LlmRule
from hegui.engine.model import Conversation, Finding
from hegui.engine.pii import MaskPolicy, PiiDetector, TurnScan
from hegui.engine.pii.masking import mask_text
from hegui.llmcheck.budget import TokenBudget, TokenUsage
from hegui.llmcheck.cache import AnswerCache, DirectoryCache, MemoryCache, cache_key, content_hash
from hegui.llmcheck.options import LlmOptions
from hegui.llmcheck.prompt import Answer, Turn, messages, parse

Sleep = Callable[[float], None]
_TAGS = MaskPolicy.preset("tag")


@dataclass(frozen=True, slots=True)
class Judgement:
    """An llm rule's verdict on one conversation: its finding, how many of the samples
    agreed, and whether it is asserted or goes to human review."""

    finding: Finding
    confidence: float
    agreeing: int
    samples: int
    model: str
    needs_review: bool
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The finding's JSON, with `confidence`, `needs_review` (only when true) and `llm`."""
        out = self.finding.to_dict()
        out["confidence"] = round(self.confidence, 4)
        if self.needs_review:
            out["needs_review"] = True
        out["llm"] = {
            "model": self.model,
            "agreeing": self.agreeing,
            "samples": self.samples,
            "reasons": list(self.reasons),
        }
        return out


@dataclass(slots=True)
class LlmResult:
    asserted: list[Judgement] = field(default_factory=list)
    review: list[Judgement] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class LlmChecker:
    """Thread-safe: one checker serves every thread of an Inspector; its budget is one run's."""

    def __init__(
        self,
        client: ChatClient,
        options: LlmOptions,
        *,
        cache: AnswerCache | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.client = client
        self.options = options
        self.cache = cache or (
            DirectoryCache(options.cache_dir) if options.cache_dir else MemoryCache()
        )
        self.budget = TokenBudget(options.token_budget)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._failures = 0
        self.paused = False
        self.skipped = 0  # checks not made: budget spent or endpoint paused

    def usage(self) -> TokenUsage:
        return self.budget.usage()

    def summary(self) -> str:
        u = self.usage()
        text = (
            f"大模型 LLM {self.options.model}: {u.calls} calls, {u.cache_hits} cached checks, "
            f"tokens {u.prompt_tokens} prompt + {u.completion_tokens} completion = {u.total} "
            f"of budget {self.options.token_budget}"
        )
        if u.estimated_calls:
            text += f" ({u.estimated_calls} calls without usage, estimated)"
        return text + (f"; {self.skipped} checks skipped" if self.skipped else "")

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def check(
        self,
        conversation: Conversation,
        rules: Sequence[LlmRule],
        detector: PiiDetector | None = None,
    ) -> LlmResult:
        result = LlmResult()
        if not rules:
            return result
        turns = [Turn(u.role, u.text) for u in conversation.utterances]
        if not turns:
            return result
        sent = self._redact(turns, detector) if self.options.redact else turns
        size = sum(len(t.text) for t in sent)
        if size > self.options.max_prompt_chars:
            result.notices.append(
                f"对话 {conversation.id!r} 过长，未做大模型检查 too long for llm rules "
                f"({size} characters > {self.options.max_prompt_chars}); "
                f"{len(rules)} rules not asked"
            )
            return result
        digest = content_hash(sent, conversation.channel)
        for rule in rules:
            self._one(conversation, rule, turns, sent, digest, result)
        return result

    def _redact(self, turns: list[Turn], detector: PiiDetector | None) -> list[Turn]:
        if detector is None:
            return turns
        table = TurnScan(detector, [(t.role, t.text) for t in turns])
        return [
            Turn(t.role, mask_text(t.text, table.entities(i), _TAGS)) for i, t in enumerate(turns)
        ]

    def _one(
        self,
        conversation: Conversation,
        rule: LlmRule,
        turns: list[Turn],
        sent: list[Turn],
        digest: str,
        result: LlmResult,
    ) -> None:
        meta = rule.meta
        key = cache_key(meta.id, meta.version, digest, self.options.model)
        answers: Sequence[Answer] | None = self.cache.get(key)
        if answers is not None:
            self.budget.hit()
        else:
            asked = self._ask(conversation, rule, sent, result)
            if asked is None:
                return
            answers, complete = asked
            if complete:
                self.cache.put(key, answers)
        judgement = self._judge(conversation, rule, turns, answers)
        if judgement is None:
            return
        (result.review if judgement.needs_review else result.asserted).append(judgement)

    def _ask(
        self, conversation: Conversation, rule: LlmRule, sent: list[Turn], result: LlmResult
    ) -> tuple[list[Answer], bool] | None:
        spec = rule.spec
        roles: list[str] = sorted(rule.scope.roles)
        prompt = messages(spec.question, spec.guidance, roles, sent, conversation.channel)
        request = ChatRequest(
            self.options.model,
            prompt,
            temperature=self.options.temperature,
            max_tokens=self.options.max_tokens,
            json_mode=self.options.json_mode,
        )
        estimate = sum(len(m.content) for m in prompt) + self.options.max_tokens
        with self._lock:
            paused = self.paused
        if paused:
            self._skip()
            return None
        was_spent = self.budget.exhausted
        if not self.budget.reserve(estimate * spec.samples):
            self._skip()
            if not was_spent:
                u = self.budget.usage()
                result.notices.append(
                    f"大模型令牌预算已用完，本次运行其余的大模型规则均跳过 LLM token budget spent "
                    f"({u.total} of {self.options.token_budget} used; {rule.meta.id} on "
                    f"{conversation.id!r} would need up to {estimate * spec.samples}): llm rules "
                    "are skipped for the rest of this run"
                )
            return None
        try:
            outcomes = self._samples(request, sent, roles, estimate, spec.samples)
        finally:
            self.budget.release(estimate * spec.samples)
        answers = [a for a in outcomes if isinstance(a, Answer)]
        errors = [e for e in outcomes if isinstance(e, LlmError)]
        if not answers:
            self._failed(conversation, rule, errors[-1], result)
            return None
        with self._lock:
            self._failures = 0
        if errors:
            result.notices.append(
                f"大模型 {len(errors)}/{spec.samples} 次未应答 {rule.meta.id} on "
                f"{conversation.id!r}: {len(errors)} of {spec.samples} samples failed "
                f"({errors[-1]}); they count as not agreeing"
            )
        return answers, not errors

    def _skip(self) -> None:
        with self._lock:
            self.skipped += 1

    def _failed(
        self, conversation: Conversation, rule: LlmRule, error: LlmError, result: LlmResult
    ) -> None:
        result.notices.append(
            f"大模型规则未执行 llm rule {rule.meta.id} not checked on {conversation.id!r}: {error}"
        )
        with self._lock:
            self._failures += 1
            pause = not self.paused and self._failures >= self.options.failures_before_pause
            self.paused = self.paused or pause
        if pause:
            result.notices.append(
                f"大模型连续 {self._failures} 次失败，本次运行其余的大模型规则均跳过 the LLM "
                f"endpoint failed {self._failures} checks in a row: llm rules are skipped for "
                "the rest of this run"
            )

    def _samples(
        self, request: ChatRequest, sent: list[Turn], roles: list[str], estimate: int, k: int
    ) -> list[Answer | LlmError]:
        def one(_: int) -> Answer | LlmError:
            try:
                return self._attempts(request, sent, roles, estimate)
            except LlmError as exc:
                return exc

        if k == 1 or self.options.concurrency == 1:
            return [one(i) for i in range(k)]
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    self.options.concurrency, thread_name_prefix="hegui-llm"
                )
            pool = self._pool
        return list(pool.map(one, range(k)))

    def _attempts(
        self, request: ChatRequest, sent: list[Turn], roles: list[str], estimate: int
    ) -> Answer:
        attempt = 0
        while True:
            attempt += 1
            try:
                reply = self.client.complete(request)
            except LlmError as exc:
                if not exc.retryable or attempt >= self.options.max_attempts:
                    raise
                self._sleep(self._delay(attempt, exc.retry_after))
                continue
            except Exception as exc:  # a client that raises anything else has a bug
                raise LlmError(
                    f"大模型客户端错误 LLM client error: {exc!r}", retryable=False
                ) from exc
            if reply.usage is not None:
                self.budget.spend(reply.usage.prompt_tokens, reply.usage.completion_tokens)
            else:
                prompt = sum(len(m.content) for m in request.messages)
                self.budget.spend(prompt, min(len(reply.content), estimate), estimated=True)
            return parse(reply.content, sent, roles)

    def _delay(self, failed: int, asked: float | None) -> float:
        backoff = self.options.backoff * 2.0 ** (failed - 1)
        return min(self.options.max_backoff, max(backoff, asked or 0.0))

    def _judge(
        self,
        conversation: Conversation,
        rule: LlmRule,
        turns: list[Turn],
        answers: Sequence[Answer],
    ) -> Judgement | None:
        spec = rule.spec
        # (a cached answer is re-checked: a folder cache is a file anyone could edit)
        yes = [a for a in answers if a.says and all(0 <= i < len(turns) for i in a.evidence)]
        yes = [a for a in yes if a.evidence]
        confidence = len(yes) / spec.samples
        if not yes or confidence < spec.min_agreement:
            return None
        cited = Counter(i for a in yes for i in a.evidence)
        top = min(cited, key=lambda i: (-cited[i], i))
        related = sorted(i for i, n in cited.items() if i != top and 2 * n >= len(yes))
        utterance = conversation.utterances[top]
        needs_review = confidence < spec.threshold
        reason = next((a.reason for a in yes if top in a.evidence and a.reason), "")
        zh = f"大模型 {len(yes)}/{spec.samples} 次认定" + (f"：{reason}" if reason else "")
        zh += "，待人工复核" if needs_review else ""
        en = f"LLM: {len(yes)} of {spec.samples} samples agree" + (
            ", needs review" if needs_review else ""
        )
        finding = Finding(
            conversation_id=conversation.id,
            category=rule.meta.category,
            rule_id=rule.meta.id,
            rule_version=rule.meta.version,
            severity=rule.meta.severity,
            message=rule.meta.say(zh, en),
            utterance_index=top,
            role=utterance.role,
            span=None,
            evidence=utterance.text,
            start=utterance.start,
            end=utterance.end,
            related=tuple((i, 0, len(turns[i].text)) for i in related),
        )
        return Judgement(
            finding,
            confidence,
            len(yes),
            spec.samples,
            self.options.model,
            needs_review,
            tuple(a.reason for a in yes if a.reason),
        )
