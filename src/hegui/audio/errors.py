"""The one error audio input raises: it names the file, Chinese first with English alongside."""

from __future__ import annotations

from hegui.errors import Invalid


class AudioError(Invalid):
    """A file that cannot be used as audio (missing, empty, not audio, truncated, too many
    channels); `field` is the file's name, so the CLI and the API name it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(name, message)
        self.name = name
