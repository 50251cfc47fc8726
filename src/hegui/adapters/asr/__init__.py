"""Speech recognition behind one Protocol (`Transcriber`): a scripted fake, FunASR
(Paraformer) and faster-whisper, each from a local model directory (docs/audio.md)."""

from hegui.adapters.asr.fake import FakeTranscriber
from hegui.adapters.asr.pipeline import Transcript, transcribe_audio
from hegui.adapters.asr.protocol import AsrUnavailable, Recognised, Transcriber
from hegui.adapters.asr.registry import KINDS, make_transcriber, shared_transcriber

__all__ = [
    "KINDS",
    "AsrUnavailable",
    "FakeTranscriber",
    "Recognised",
    "Transcriber",
    "Transcript",
    "make_transcriber",
    "shared_transcriber",
    "transcribe_audio",
]
