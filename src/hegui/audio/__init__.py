"""Audio: decoding (PyAV), voice activity per channel (webrtcvad), silences, overlaps,
loudness peaks, and the conversation skeleton that the timing rules read (docs/audio.md).

The engine does no I/O, so decoding lives here, outside `hegui.engine`.
"""

from hegui.audio.analysis import (
    AnalysisConfig,
    AudioAnalysis,
    ChannelAnalysis,
    Overlap,
    Peak,
    Span,
    analyse,
)
from hegui.audio.decode import RATE, AudioInfo, Decoded, media_type, probe
from hegui.audio.errors import AudioError
from hegui.audio.skeleton import Turn, conversation, skeleton, turns
from hegui.audio.vad import ChannelVad, Segment, VadConfig

__all__ = [
    "RATE",
    "AnalysisConfig",
    "AudioAnalysis",
    "AudioError",
    "AudioInfo",
    "ChannelAnalysis",
    "ChannelVad",
    "Decoded",
    "Overlap",
    "Peak",
    "Segment",
    "Span",
    "Turn",
    "VadConfig",
    "analyse",
    "conversation",
    "media_type",
    "probe",
    "skeleton",
    "turns",
]
