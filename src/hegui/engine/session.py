"""A live inspection of one conversation: `feed` an utterance, get new findings; `close`
for what can only be known at the end. Batch inspection (`inspect`) is feed-all + close.

A session belongs to one conversation and one thread; the library it reads is shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hegui.engine.library import Routes, RuleLibrary
from hegui.engine.model import (
    OFFSET_CLOCK,
    WALL_CLOCK,
    Conversation,
    Finding,
    Obligation,
    Utterance,
)
from hegui.engine.normalise import normalise, normalise_many
from hegui.engine.pii import PiiEntity
from hegui.engine.pii.turns import JOIN, MAX_BACKCHANNELS, NUMERALS, backchannel, goes_on
from hegui.engine.pinyin import canonical
from hegui.engine.rules import conditions as c


def _numbers_meet(before: str, after: str) -> bool:
    """A segment ending in a digit or numeral and the next one starting with one: a number
    read on across the other party's backchannel. Only then is a backchannel skipped when
    segments are joined (phrases are not split around an "嗯"; numbers are). The next
    segment may open with "后面是" (`goes_on`)."""
    before = before.rstrip().rstrip(_NUMBER_STOPS)  # "…幺三八。" / "一二三四。" still meet
    after = after[goes_on(before, after) :].lstrip(_NUMBER_STOPS)
    return bool(before and after) and before[-1] in NUMERALS and after[0] in NUMERALS


_NUMBER_STOPS = "。！？!?，,、；;：: \t"


_SENTENCE_END = frozenset("。！？!?")


def _ends_sentence(text: str) -> bool:
    """A typed segment closed by a full stop, "！" or "？" is a whole sentence: a phrase
    does not run on into the next one ("…2年以上0。" + "风险提示…" is no "0风险").
    ASR segments carry no such punctuation; a number read on still joins."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _outside_pieces(
    f: Finding, index: int, across: list[Finding], entities: Sequence[Any]
) -> Finding | None:
    """A privacy finding of utterance `index` alone whose number is only a piece of a longer
    one read across segments ("…账户是 六二幺七" / "幺幺零零 零二八五 六七三二 九零四" is one
    card, not a card tail that reads like a landline) is dropped (None) — unless the
    utterance holds another number of the finding's kind outside every such piece (a real
    phone read after the card's tail): then the finding cites that one. Any other finding
    is returned as it is. `entities`: the utterance's PII."""
    if f.span is None or f.utterance_index != index or not f.category.startswith("privacy."):
        return f
    pieces: list[tuple[int, int]] = []
    for other in across:  # each reads across two or more segments: longer than its piece
        if other.category.startswith("privacy."):
            pieces.extend((a, b) for at, a, b in other.related if at == index)
            if other.span is not None and other.utterance_index == index:
                pieces.append(other.span)

    def inside(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in pieces)

    if not inside(*f.span):
        return f
    kind = f.category.removeprefix("privacy.")
    rest = sorted(
        (e.start, e.end) for e in entities if e.type == kind and not inside(e.start, e.end)
    )
    if not rest:
        return None
    start, end = rest[0]  # the finding's evidence is the utterance's text
    return replace(f, span=(start, end), matched=(f.evidence or "")[start:end])


def _overlaps(a: c.Span | None, b: c.Span | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


# How much of the neighbouring segments a phrase split across ASR segments may span.
_UNSET = object()
JOIN_WINDOW = 40
JOIN_SEGMENTS = 3


def inspect(
    library: RuleLibrary, conversation: Conversation, routes: Routes | None = None
) -> list[Finding]:
    """Batch inspection: feed every utterance, then close."""
    session = Session(library, conversation, routes)
    out: list[Finding] = []
    for prepared in session.prepare_all(conversation.utterances):
        out.extend(session.feed_prepared(prepared))
    out.extend(session.close())
    return sorted(out, key=Finding.sort_key)


class Session:
    def __init__(
        self, library: RuleLibrary, conversation: Conversation, routes: Routes | None = None
    ) -> None:
        """`routes`: which of the library's packs apply (default: all of them)."""
        self.library = library
        self.routes = routes or library.all_routes
        self.lexicon = library.lexicon
        self.conversation = conversation
        self.history: list[c.Prepared] = []
        self.clock: str | None = None  # decided by the first utterance that carries a time
        self.t0: float | None = None
        self.latest_end: float | None = None
        self._counts: dict[str, int] = {}
        self._states: dict[int, Any] = {}  # per rule, created when the rule is first woken
        # Per role, the rules that see every utterance of that role.
        self._live = {role: set(rules) for role, rules in self.routes.always.items()}
        self._shown: dict[tuple[str, int], list[c.Span | None]] = {}
        self._closed = False

    def count_before(self, roles: frozenset[str]) -> int:
        counts = self._counts
        return sum(counts.get(role, 0) for role in roles)

    def pii_scan(self, u: c.Prepared) -> list[PiiEntity]:
        """Every PII entity the detector finds in this utterance alone, scanned once."""
        if u.scan is None:
            detector = self.library.pii_detector
            u.scan = detector.scan(u.utterance.text) if detector is not None else []
        return u.scan

    def pii_entities(self, u: c.Prepared) -> list[Any]:
        """PII that counts as a leak here (the library's LeakPolicy), cached per utterance."""
        if u.pii is None:
            detector, policy = self.library.pii_detector, self.library.leak_policy
            role, text = u.utterance.role, u.utterance.text
            if detector is None or (policy is not None and role not in policy.roles):
                u.pii = []
            elif policy is None:
                u.pii = self.pii_scan(u)
            else:
                masked = detector.scan_masked(text) if policy.wants_masked else []
                u.pii = policy.leaks_in(self.pii_scan(u), role, masked)
        return u.pii

    def semantic_scores(self, u: c.Prepared) -> Mapping[str, float]:
        """The intent model's scores of this utterance, computed once for every intent."""
        if u.semantic is None:
            model = self.library.semantic
            if model is None or not u.norm.text:
                u.semantic = {}
            else:
                u.semantic = model.score(u.utterance.text, u.norm.text)
        return u.semantic

    def _opinion(self, u: c.Prepared) -> list[Finding]:
        """The model's second opinion on this utterance (ModelOpinion)."""
        wanted = self.library.opinion_roles.get(u.utterance.role)
        opinion = self.library.opinion
        if not wanted or opinion is None or len(u.norm.text) < opinion.min_chars:
            return []
        floor = opinion.min_score
        scores = self.semantic_scores(u)
        utt, out = u.utterance, []
        text = utt.text
        start = len(text) - len(text.lstrip())
        span = (start, max(start, len(text.rstrip())))
        for category, meta in wanted:
            score = scores.get(category, 0.0)
            if score < floor:
                continue
            out.append(
                Finding(
                    conversation_id=self.conversation.id,
                    category=category,
                    rule_id=meta.id,
                    rule_version=meta.version,
                    severity=meta.severity,
                    message=meta.say(),
                    utterance_index=u.index,
                    role=utt.role,
                    span=span,
                    evidence=text,
                    start=utt.start,
                    end=utt.end,
                    matched=text[span[0] : span[1]],
                    score=score,
                    detector="model",
                )
            )
        return out

    def _prepare(self, index: int, utterance: Utterance) -> c.Prepared:
        norm = normalise(utterance.text)
        if not norm.text:
            return c.Prepared(index, utterance, norm, set())
        if not self.library.uses_canonical:
            return c.Prepared(index, utterance, norm, self.library.matcher.scan(norm.text))
        sound = canonical(norm.text)
        hits = self.library.matcher.scan(norm.text + "\n" + sound)
        return c.Prepared(index, utterance, norm, hits, sound=sound)

    def prepare_all(self, utterances: Sequence[Utterance]) -> list[c.Prepared]:
        """Normalise and scan many utterances in one pass (what `feed` does one by one)."""
        first = len(self.history)
        norms = normalise_many([u.text for u in utterances])
        sounds: list[str | None]
        if self.library.uses_canonical:
            sounds = [canonical(n.text) for n in norms]
            texts = [f"{n.text}\n{sound}" for n, sound in zip(norms, sounds, strict=True)]
        else:
            sounds = [None for _ in norms]
            texts = [n.text for n in norms]
        hits = self.library.matcher.scan_many(texts)
        return [
            c.Prepared(first + i, u, n, h if n.text else set(), sound=sound)
            for i, (u, n, h, sound) in enumerate(zip(utterances, norms, hits, sounds, strict=True))
        ]

    def feed(self, utterance: Utterance) -> list[Finding]:
        """Inspect the next utterance; returns the findings it settles."""
        return self.feed_prepared(self._prepare(len(self.history), utterance))

    def feed_prepared(self, u: c.Prepared) -> list[Finding]:
        """`feed` for an utterance already prepared by `prepare_all`."""
        if self._closed:
            raise RuntimeError("session is closed / 会话已结束")
        if u.index != len(self.history):
            raise ValueError(f"prepared utterance {u.index} fed out of order")
        utterance = u.utterance
        self._time(u)
        self.history.append(u)
        if self.t0 is None:
            self.t0 = u.t
        role = utterance.role
        live = self._live[role]
        candidates: set[int]
        if u.hits:
            candidates = set(live)
            woken = self.routes.woken[role]
            for pid in u.hits:
                wakes = woken.get(pid)
                if wakes:
                    candidates.update(wakes)
        else:
            candidates = live.copy() if live else set()
        by_pii = self.routes.pii_woken[role]
        if by_pii:
            for entity in self.pii_entities(u):
                candidates.update(by_pii.get(entity.type, ()))
        out: list[Finding] = []
        lib = self.library
        rules, needs, dynamic, states = lib.rules, lib.needs, lib.dynamic, self._states
        hits = u.hits
        for index in candidates:
            need = needs[index]
            if need and any(clause.isdisjoint(hits) for clause in need):
                continue
            state = states.get(index, _UNSET)
            if state is _UNSET:
                state = self._state(index)
            if state is None:
                continue
            rule = rules[index]
            found = rule.on_utterance(state, u, self)
            if found:
                out.extend(found)
            if not dynamic[index]:
                continue
            if rule.finished(state):
                for r in rule.scope.roles:
                    self._live[r].discard(index)
            elif rule.every_turn(state):
                for r in rule.scope.roles:
                    self._live[r].add(index)
        parts = self._run_parts(u)
        if len(parts) > 1:
            across = self._across_segments(u, parts)
            if across:
                mine = self.pii_entities(u)
                kept = (_outside_pieces(f, u.index, across, mine) for f in out)
                out = [f for f in kept if f is not None]
                out.extend(across)
        if lib.opinion_roles:
            out.extend(self._opinion(u))
        self._counts[role] = self._counts.get(role, 0) + 1
        end = u.t_end
        if end is not None and (self.latest_end is None or end > self.latest_end):
            self.latest_end = end
        return self._settle(out) if out else out

    def _time(self, u: c.Prepared) -> None:
        """Place an utterance on the conversation's one clock: `start` seconds if the first
        timed utterance has them, else `at` timestamps. An utterance that carries only the
        other clock's time is untimed: the two clocks are never compared."""
        utterance = u.utterance
        if self.clock is None:
            if utterance.start is not None:
                self.clock = OFFSET_CLOCK
            elif utterance.at is not None:
                self.clock = WALL_CLOCK
        if self.clock == OFFSET_CLOCK and utterance.start is not None:
            u.t = utterance.start
            u.t_end = utterance.end if utterance.end is not None else utterance.start
        elif self.clock == WALL_CLOCK and utterance.at is not None:
            u.t = u.t_end = utterance.at.timestamp()

    def pending(self) -> list[Obligation]:
        """Obligations opened and not yet met, oldest first (for prompts to the agent)."""
        if self._closed:
            return []
        rules, out = self.library.rules, []
        for index, state in self._states.items():
            if state is not None and self.library.can_pend[index]:
                owed = rules[index].pending(state, self)
                if owed is not None:
                    out.append(owed)
        return sorted(out, key=lambda o: (o.since, o.rule_id))

    def close(self) -> list[Finding]:
        """End of the conversation: must-say obligations, closing scopes."""
        if self._closed:
            return []
        self._closed = True
        out: list[Finding] = []
        rules, hooks = self.library.rules, self.library.close_hooks
        woken = (index for index in self._states if hooks[index])
        for index in sorted(set(self.routes.closing).union(woken)):
            state = self._state(index)
            if state is not None:
                out.extend(rules[index].on_close(state, self))
        return self._settle(out)

    def _settle(self, found: list[Finding]) -> list[Finding]:
        """Order findings; with dedupe, one per category and overlapping evidence — the
        rule listed first (the more specific pack) wins."""
        if not found:
            return found
        if not self.library.dedupe:
            return sorted(found, key=Finding.sort_key)
        order, last = self.library.order, len(self.library.order)
        kept = []
        for finding in sorted(found, key=lambda f: order.get(f.rule_id, last)):
            if finding.utterance_index is not None:
                key = (finding.category, finding.utterance_index)
                shown = self._shown.setdefault(key, [])
                if any(_overlaps(finding.span, other) for other in shown):
                    continue
                shown.append(finding.span)
            kept.append(finding)
        return sorted(kept, key=Finding.sort_key)

    def _state(self, index: int) -> Any:
        try:
            return self._states[index]
        except KeyError:
            rule = self.library.rules[index]
            state = self._states[index] = rule.begin(self.conversation)
            if state is None:
                for role in rule.scope.roles:
                    self._live[role].discard(index)
            return state

    def _run_parts(self, u: c.Prepared) -> list[c.Prepared]:
        """`u` and the segments of its speaker just before it (JOIN_SEGMENTS in all at
        most): consecutive, or apart only by the other party's backchannels ("嗯")."""
        parts = [u]
        skipped = 0
        for j in range(u.index - 1, -1, -1):
            earlier = self.history[j]
            if earlier.utterance.role == u.utterance.role:
                text = earlier.utterance.text
                if (skipped or _ends_sentence(text)) and not _numbers_meet(
                    text, parts[0].utterance.text
                ):
                    break
                parts.insert(0, earlier)
                skipped = 0
                if len(parts) == JOIN_SEGMENTS:
                    break
            elif skipped < MAX_BACKCHANNELS and backchannel(earlier.utterance.text):
                skipped += 1
            else:
                break
        return parts

    def _across_segments(self, u: c.Prepared, parts: list[c.Prepared]) -> list[Finding]:
        """Find phrases split across consecutive segments of the same speaker (`parts`,
        ending with `u`)."""
        segments: list[
            tuple[c.Prepared, int, int, int]
        ] = []  # (utt, local start, joined start, length)
        pieces: list[str] = []
        budget = JOIN_WINDOW
        for part in reversed(parts[:-1]):
            text = part.utterance.text
            take = min(len(text), budget)
            segments.insert(0, (part, len(text) - take, 0, take))
            pieces.insert(0, text[len(text) - take :])
            budget -= take
            if budget <= 0:
                break
        head = u.utterance.text[:JOIN_WINDOW]
        if pieces:  # "…八八零八" / "后面是零零三二…": the "后面是" reads as a pause
            skip = goes_on(pieces[-1], head)
            head = " " * skip + head[skip:]
        pieces.append(head)
        segments.append((u, 0, 0, len(head)))
        # Segments joined by a pause: normalisation drops it inside a phrase, and the PII
        # detector does not let a name run across it.
        offset = 0
        for k, (part, local, _, length) in enumerate(segments):
            segments[k] = (part, local, offset, length)
            offset += length + len(JOIN)
        joined = JOIN.join(pieces)
        virtual = self._prepare(u.index, Utterance(u.utterance.role, joined))
        virtual.joined = True  # semantic conditions judge utterances, not joined segments
        seen_alone: set[int] = set().union(*(p.hits for p, *_ in segments))
        role = u.utterance.role
        candidates = set(self.routes.boundary_always[role])
        gated = self.routes.boundary_gated[role]
        for pid in virtual.hits - seen_alone:
            candidates.update(gated.get(pid, ()))
        by_pii = self.routes.boundary_pii[role]
        if by_pii:
            for entity in self.pii_entities(virtual):
                candidates.update(by_pii.get(entity.type, ()))
        if not candidates:
            return []

        def locate(
            span: c.Span,
        ) -> tuple[c.Prepared, c.Span, tuple[tuple[int, int, int], ...]] | None:
            first = next((s for s in segments if s[2] <= span[0] < s[2] + s[3]), None)
            last = next((s for s in segments if s[2] < span[1] <= s[2] + s[3]), None)
            if first is None or last is None or first is last:
                return None
            part, local, start, length = first
            local_span = (local + span[0] - start, local + length)
            related = []
            for seg in segments[segments.index(first) + 1 : segments.index(last) + 1]:
                end = seg[1] + min(seg[3], span[1] - seg[2])
                related.append((seg[0].index, seg[1], end))
            return part, local_span, tuple(related)

        out: list[Finding] = []
        rules = self.library.rules
        for index in candidates:
            state = self._state(index)
            if state is not None:
                out.extend(rules[index].on_boundary(state, virtual, self, locate))
        return out
