"""One pass over a file: speech segments per channel, silences, overlaps, loudness peaks.

- silence: a gap between speech on any channel of at least `min_silence` seconds (before the
  first and after the last speech is not counted: ringing and hanging up);
- overlap: both channels of a stereo file speaking at once, `by` the one who started later;
- peak (shouting): a short-term level (RMS over `peak_window` seconds, in dBFS) at least
  `peak_db` above the median level of that speaker's speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hegui.audio.decode import Decoded, Source
from hegui.audio.errors import AudioError
from hegui.audio.vad import HOP_SECONDS, ChannelVad, Segment, VadConfig

STEREO_ROLES = ("agent", "customer")
ROLES = ("agent", "customer", "bot", "system")
MONO_RULES = ("alternate",)
SILENT_DB = -120.0


@dataclass(frozen=True)
class AnalysisConfig:
    vad: VadConfig = field(default_factory=VadConfig)
    min_silence: float = 1.0
    min_overlap: float = 0.2
    peak_window: float = 0.4
    peak_db: float = 10.0


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return round(self.end - self.start, 3)


@dataclass(frozen=True)
class Overlap(Span):
    by: str = ""
    """The role that started speaking while the other still spoke."""


@dataclass(frozen=True)
class Peak(Span):
    role: str = ""
    level_db: float = 0.0
    median_db: float = 0.0

    @property
    def above_median_db(self) -> float:
        return round(self.level_db - self.median_db, 1)


@dataclass(frozen=True)
class ChannelAnalysis:
    role: str
    segments: tuple[Segment, ...]
    median_db: float | None

    @property
    def speech_seconds(self) -> float:
        return round(sum(s.duration for s in self.segments), 3)


@dataclass(frozen=True)
class AudioAnalysis:
    """What `analyse` found in one file; `to_dict()` is what goes into a conversation's
    `metadata.audio`."""

    source: str
    container: str
    codec: str
    sample_rate: int
    duration: float
    channels: tuple[ChannelAnalysis, ...]
    silences: tuple[Span, ...]
    overlaps: tuple[Overlap, ...]
    peaks: tuple[Peak, ...]
    mono_rule: str | None = None

    @property
    def longest_silence(self) -> Span | None:
        return max(self.silences, key=lambda s: s.duration, default=None)

    def to_dict(self) -> dict[str, Any]:
        longest = self.longest_silence
        return {
            "source": self.source,
            "container": self.container,
            "codec": self.codec,
            "sample_rate": self.sample_rate,
            "duration": round(self.duration, 2),
            "channels": [
                {
                    "role": c.role,
                    "speech_seconds": round(c.speech_seconds, 2),
                    "median_db": None if c.median_db is None else round(c.median_db, 1),
                    "segments": [[_r(s.start), _r(s.end)] for s in c.segments],
                }
                for c in self.channels
            ],
            "silences": [[_r(s.start), _r(s.end)] for s in self.silences],
            "longest_silence": None if longest is None else round(longest.duration, 2),
            "overlaps": [
                {"start": _r(o.start), "end": _r(o.end), "by": o.by} for o in self.overlaps
            ],
            "peaks": [
                {
                    "role": p.role,
                    "start": _r(p.start),
                    "end": _r(p.end),
                    "level_db": round(p.level_db, 1),
                    "above_median_db": p.above_median_db,
                }
                for p in self.peaks
            ],
        }


def _r(seconds: float) -> float:
    return round(seconds, 2)


def channel_roles(channels: int, roles: Sequence[str], mono: str, name: str) -> tuple[str, ...]:
    """The role of each channel: `roles` for stereo (left, right), `mono` for one channel."""
    if channels == 2:
        if len(roles) != 2 or any(r not in ROLES for r in roles):
            raise AudioError(name, f"声道角色无效 channel roles must be two of {ROLES}")
        return tuple(roles)
    if mono not in ROLES and mono not in MONO_RULES:
        raise AudioError(name, f"单声道角色无效 mono role must be one of {ROLES + MONO_RULES}")
    return (mono,)


def analyse(
    source: Source,
    *,
    roles: Sequence[str] = STEREO_ROLES,
    mono: str = "agent",
    config: AnalysisConfig | None = None,
    name: str | None = None,
) -> AudioAnalysis:
    """Decode `source` block by block and analyse it; `AudioError` names the file."""
    config = config or AnalysisConfig()
    decoded = Decoded(source, name)
    vads: list[ChannelVad] = []
    for block in decoded:
        if not vads:
            vads = [ChannelVad(config.vad) for _ in range(block.shape[0])]
        for vad, row in zip(vads, block, strict=True):
            vad.feed(row)
    info = decoded.info
    assert info is not None  # set by the first block; no block at all raised AudioError
    labels = channel_roles(info.channels, roles, mono, decoded.name)
    for vad in vads:
        vad.finish()
    channels = tuple(
        ChannelAnalysis(label, tuple(vad.segments), _median_db(vad, config))
        for label, vad in zip(labels, vads, strict=True)
    )
    return AudioAnalysis(
        source=decoded.name,
        container=info.container,
        codec=info.codec,
        sample_rate=info.sample_rate,
        duration=decoded.duration,
        channels=channels,
        silences=silences([c.segments for c in channels], config.min_silence),
        overlaps=overlaps(channels, config.min_overlap) if len(channels) == 2 else (),
        peaks=tuple(
            p for vad, c in zip(vads, channels, strict=True) for p in _peaks(vad, c, config)
        ),
        mono_rule=labels[0] if labels[0] in MONO_RULES else None,
    )


def silences(channels: Sequence[Sequence[Segment]], min_silence: float) -> tuple[Span, ...]:
    """Gaps of at least `min_silence` s in which no channel speaks, between the first and
    the last speech."""
    merged = sorted((s for segments in channels for s in segments), key=lambda s: s.start)
    gaps: list[Span] = []
    reach: float | None = None
    for segment in merged:
        if reach is not None and segment.start - reach >= min_silence:
            gaps.append(Span(reach, segment.start))
        reach = segment.end if reach is None else max(reach, segment.end)
    return tuple(gaps)


def overlaps(channels: Sequence[ChannelAnalysis], min_overlap: float) -> tuple[Overlap, ...]:
    """Both channels speaking at once for at least `min_overlap` s (a two-pointer sweep)."""
    left, right = channels[0].segments, channels[1].segments
    found: list[Overlap] = []
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        start, end = max(a.start, b.start), min(a.end, b.end)
        if end - start >= min_overlap:
            by = channels[1].role if b.start > a.start else channels[0].role
            found.append(Overlap(start, end, by=by))
        if a.end < b.end:
            i += 1
        else:
            j += 1
    return tuple(found)


def _window_db(vad: ChannelVad, config: AnalysisConfig) -> tuple[np.ndarray, np.ndarray]:
    """Short-term level (dBFS) of each hop's window, and whether the window is speech."""
    power = np.frombuffer(vad.hop_power, dtype=np.float32).astype(np.float64)
    speech = np.frombuffer(vad.hop_speech, dtype=np.float32) >= 0.5
    width = max(1, round(config.peak_window / HOP_SECONDS))
    if power.size < width:
        return np.zeros(0), np.zeros(0, dtype=bool)
    kernel = np.ones(width) / width
    mean_square = np.convolve(power, kernel, mode="valid")
    speaking = np.convolve(speech.astype(np.float64), kernel, mode="valid") >= 0.5
    with np.errstate(divide="ignore"):
        level = 10 * np.log10(mean_square / 32768.0**2)
    return np.maximum(level, SILENT_DB), speaking


def _median_db(vad: ChannelVad, config: AnalysisConfig) -> float | None:
    level, speaking = _window_db(vad, config)
    if not speaking.any():
        return None
    return float(np.median(level[speaking]))


def _peaks(vad: ChannelVad, channel: ChannelAnalysis, config: AnalysisConfig) -> list[Peak]:
    """Runs of loud windows; each reported over the hops inside it that are loud themselves,
    so a window's reach does not smear the peak into the quiet speech beside it."""
    median = channel.median_db
    if median is None:
        return []
    level, speaking = _window_db(vad, config)
    threshold = median + config.peak_db
    loud = speaking & (level >= threshold)
    width = max(1, round(config.peak_window / HOP_SECONDS))
    with np.errstate(divide="ignore"):
        hop_db = 10 * np.log10(np.frombuffer(vad.hop_power, dtype=np.float32) / 32768.0**2)
    peaks: list[Peak] = []
    for first, last in _runs(loud):
        hops = np.nonzero(hop_db[first : last + width] >= threshold)[0] + first
        if hops.size == 0:
            continue
        start, end = hops[0] * HOP_SECONDS, (hops[-1] + 1) * HOP_SECONDS
        top = float(level[first : last + 1].max())
        peaks.append(Peak(round(start, 2), round(end, 2), channel.role, top, median))
    return peaks


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    runs: list[tuple[int, int]] = []
    index, n = 0, flags.size
    while index < n:
        if not flags[index]:
            index += 1
            continue
        last = index
        while last + 1 < n and flags[last + 1]:
            last += 1
        runs.append((index, last))
        index = last + 1
    return runs
