"""What a malformed input line becomes: an error naming the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass


class FormatError(ValueError):
    """A value that breaks the conversation contract; `field` is its JSON path (None when
    the line as a whole is wrong: not UTF-8, not JSON, not an object)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


@dataclass(frozen=True, slots=True)
class LineError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"
