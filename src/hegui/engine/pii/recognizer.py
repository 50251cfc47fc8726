"""The recognizer interface: one class per kind of personal information, each with its own
candidates, validation, prefilter and examples; and `TextViews`, the views of one text that
the recognizers of one scan share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from hegui.engine.pii.context import ContextCache
from hegui.engine.pii.digits import DigitRun, digit_runs
from hegui.engine.pii.view import Hit, View, make_loose_view, make_view
from hegui.engine.vocabulary import PiiType


@dataclass(frozen=True, slots=True)
class Examples:
    """Texts a recognizer must find (with the entity text it must report) and texts in which
    it must find nothing. A test runs every registered recognizer's examples through the
    detector, prefilter included."""

    found: tuple[tuple[str, str], ...]
    not_found: tuple[str, ...]


class TextViews:
    """One text as the recognizers of one scan read it: the compact view (normalised,
    punctuation dropped, so numbers said in groups join up), built at once since every
    recognizer reads it; the context words, the loose view and the digit runs on first
    use. An instance belongs to one scan and is never shared."""

    __slots__ = ("_context", "_loose", "_quiet", "_runs", "compact", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self.compact = make_view(original)
        self._context: ContextCache | None = None
        self._quiet: ContextCache | None = None
        self._loose: View | None = None
        self._runs: list[DigitRun] | None = None

    @property
    def context(self) -> ContextCache:
        """Context words around the compact view's candidates."""
        if self._context is None:
            self._context = ContextCache(self.compact)
        return self._context

    @property
    def quiet_context(self) -> ContextCache:
        """See `ContextCache.quiet`."""
        if self._quiet is None:
            self._quiet = self.context.quiet()
        return self._quiet

    @property
    def loose(self) -> View:
        """Punctuation kept: for patterns whose boundaries are punctuation (emails, IPs)."""
        if self._loose is None:
            self._loose = make_loose_view(self.original)
        return self._loose

    @property
    def digit_runs(self) -> list[DigitRun]:
        """Runs of digits in the compact view, split into groups (see `digits`)."""
        if self._runs is None:
            self._runs = digit_runs(self.compact)
        return self._runs


class Recognizer(ABC):
    """Finds one kind of personal information and validates each candidate.

    type: the PII type it reports (declared once, in the rule schema).
    prefilter: a regular expression that every original text holding such an entity
        matches; the detector skips texts no wanted recognizer's prefilter matches.
    prefilter_words: words in normalised (simplified, lower-case) form, also admitted in
        every spelling the normaliser folds to them (traditional, full-width).
    prefilter_figure_words: words that admit a text only when it also holds a figure (a
        digit or a numeral): too common to admit one alone (卡, 理财).
    crosses_turns: whether an entity may be spoken over consecutive turns.
    examples: what the recognizer must and must not find (tested).
    """

    type: ClassVar[PiiType]
    prefilter: ClassVar[str] = ""
    prefilter_words: ClassVar[tuple[str, ...]] = ()
    prefilter_figure_words: ClassVar[tuple[str, ...]] = ()
    crosses_turns: ClassVar[bool] = True
    examples: ClassVar[Examples]

    @abstractmethod
    def find(self, views: TextViews) -> list[Hit]:
        """Validated, scored hits in coordinates of the original text. Must not keep state
        between calls: one detector is shared by threads."""
