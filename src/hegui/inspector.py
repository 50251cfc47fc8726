"""`Inspector`: the Python API. Picks rule packs per conversation industry and inspects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Finding
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
    ) -> None:
        self.industry = industry
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
                rules, taxonomy(), backend=self.backend, lexicon=default_lexicon()
            )
            self._libraries[key] = library
        return library

    def inspect(self, conversation: Conversation) -> list[Finding]:
        return self.library_for(conversation).inspect(conversation)

    def session(self, conversation: Conversation) -> Session:
        """A live session: `feed(utterance) -> new findings`, `close() -> final findings`."""
        return self.library_for(conversation).session(conversation)
