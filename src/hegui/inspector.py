"""`Inspector`: the Python API. Picks rule packs per conversation industry and inspects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Finding, Utterance
from hegui.engine.pii import LeakPolicy, MaskPolicy, PiiDetector, mask_findings
from hegui.engine.session import Session
from hegui.lexicon import default_lexicon
from hegui.packs import load_rules, packs_for_industry, taxonomy


class Inspector:
    """Inspect conversations against the shipped packs and/or your own rules.

    >>> inspector = Inspector(industry="securities")
    >>> findings = inspector.inspect(conversation)          # batch
    >>> session = inspector.session(conversation)           # live: feed() / close()
    """

    def __init__(
        self,
        *,
        industry: str | None = None,
        packs: Sequence[str] | None = None,
        rules_dirs: Iterable[str | Path] = (),
        backend: str = "auto",
        leak_policy: LeakPolicy | None = None,
        mask: MaskPolicy | None = None,
    ) -> None:
        """`leak_policy`: what counts as a PII leak (default: any full number an agent or
        bot says). `mask`: mask personal information in findings' evidence."""
        self.industry = industry
        self.leak_policy = leak_policy or LeakPolicy()
        self.mask = mask
        self._detector: PiiDetector | None = None
        self.packs = tuple(packs) if packs is not None else None
        self.rules_dirs = tuple(Path(p) for p in rules_dirs)
        self.backend = backend
        self._extra: list[PackedRule] = load_rules((), self.rules_dirs)
        self._libraries: dict[tuple[str, ...], RuleLibrary] = {}
        if self.packs is not None or industry is not None:
            self.library_for(None)

    def packs_for(self, conversation: Conversation | None) -> tuple[str, ...]:
        if self.packs is not None:
            return self.packs
        industry = self.industry or (conversation.industry if conversation else None)
        return packs_for_industry(industry)

    def library_for(self, conversation: Conversation | None) -> RuleLibrary:
        key = self.packs_for(conversation)
        library = self._libraries.get(key)
        if library is None:
            rules = load_rules(key) + self._extra
            library = RuleLibrary(
                rules,
                taxonomy(),
                backend=self.backend,
                lexicon=default_lexicon(),
                leak_policy=self.leak_policy,
            )
            self._libraries[key] = library
        return library

    def inspect(self, conversation: Conversation) -> list[Finding]:
        findings = self.library_for(conversation).inspect(conversation)
        turns = [(u.role, u.text) for u in conversation.utterances]
        return self.masked(turns, findings)

    def session(self, conversation: Conversation) -> LiveSession:
        """A live session: `feed(utterance) -> new findings`, `close() -> final findings`."""
        return LiveSession(self.library_for(conversation).session(conversation), self)

    def masked(self, turns: list[tuple[str, str]], findings: list[Finding]) -> list[Finding]:
        """Findings with their evidence masked (unchanged when the inspector does not mask)."""
        if self.mask is None or not findings:
            return findings
        if self._detector is None:
            self._detector = PiiDetector()
        return mask_findings(turns, findings, self._detector, self.mask)


class LiveSession:
    """The engine's session, with evidence masked when the inspector masks."""

    def __init__(self, session: Session, inspector: Inspector) -> None:
        self.engine = session
        self._inspector = inspector

    def _turns(self) -> list[tuple[str, str]]:
        return [(u.utterance.role, u.utterance.text) for u in self.engine.history]

    def feed(self, utterance: Utterance) -> list[Finding]:
        return self._inspector.masked(self._turns(), self.engine.feed(utterance))

    def close(self) -> list[Finding]:
        return self._inspector.masked(self._turns(), self.engine.close())
