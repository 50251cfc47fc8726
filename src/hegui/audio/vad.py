"""Voice activity of one channel, frame by frame, fed block by block (memory stays flat).

A frame is speech when it is louder than an energy floor and WebRTC's VAD (webrtcvad-wheels,
shipped inside the package, no model to fetch) says so. Speech frames become segments:
gaps shorter than `merge_gap` are bridged, and segments shorter than `min_speech` dropped.
Each 100 ms hop's mean square is kept (4 bytes) for the loudness analysis.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import webrtcvad

from hegui.audio.decode import RATE

FULL_SCALE = 32768.0
HOP_SECONDS = 0.1


@dataclass(frozen=True)
class VadConfig:
    aggressiveness: int = 2
    """webrtcvad's mode, 0 (least) to 3 (most aggressive in calling frames non-speech)."""
    frame_ms: int = 20
    energy_floor_db: float = -50.0
    """Frames quieter than this (dBFS) are silence whatever the VAD says."""
    merge_gap: float = 0.4
    """Pauses shorter than this (s) stay inside one segment: breaths, commas."""
    min_speech: float = 0.15
    """Segments shorter than this (s) are dropped: clicks, coughs."""

    def __post_init__(self) -> None:
        if self.aggressiveness not in (0, 1, 2, 3):
            raise ValueError("aggressiveness must be 0, 1, 2 or 3")
        if self.frame_ms not in (10, 20, 30):
            raise ValueError("frame_ms must be 10, 20 or 30")


@dataclass(frozen=True)
class Segment:
    """Speech on one channel, seconds from the start of the file."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class ChannelVad:
    """Feed int16 samples of one channel in any block sizes; `finish()` closes the last
    segment. `segments`, `hop_power` and `hop_speech` grow as audio comes."""

    def __init__(self, config: VadConfig | None = None) -> None:
        self.config = config or VadConfig()
        self._vad = webrtcvad.Vad(self.config.aggressiveness)
        self.frame = RATE * self.config.frame_ms // 1000
        self._frames_per_hop = round(HOP_SECONDS * 1000) // self.config.frame_ms
        self._floor = FULL_SCALE**2 * 10 ** (self.config.energy_floor_db / 10)
        self._rest: npt.NDArray[np.int16] = np.zeros(0, dtype=np.int16)
        self.frames = 0
        self.segments: list[Segment] = []
        self._open: list[float] | None = None  # [start, end] of the segment being built
        self.hop_power = array("f")
        self.hop_speech = array("f")
        self._hop_sum = 0.0
        self._hop_speech = 0
        self._hop_count = 0

    def feed(self, samples: npt.NDArray[np.int16]) -> None:
        data = np.concatenate((self._rest, samples)) if self._rest.size else samples
        whole = data.size // self.frame
        self._rest = data[whole * self.frame :].copy()
        if whole == 0:
            return
        frames = data[: whole * self.frame].reshape(whole, self.frame)
        power = np.mean(np.square(frames, dtype=np.float64), axis=1)
        for row, mean_square in zip(frames, power.tolist(), strict=True):
            speech = mean_square >= self._floor and self._vad.is_speech(row.tobytes(), RATE)
            self._step(mean_square, speech)

    def _step(self, mean_square: float, speech: bool) -> None:
        seconds = self.config.frame_ms / 1000
        start = self.frames * seconds
        self.frames += 1
        self._hop_sum += mean_square
        self._hop_speech += speech
        self._hop_count += 1
        if self._hop_count == self._frames_per_hop:
            self._close_hop()
        if not speech:
            return
        end = start + seconds
        if self._open is not None and start - self._open[1] <= self.config.merge_gap:
            self._open[1] = end
            return
        self._emit()
        self._open = [start, end]

    def _close_hop(self) -> None:
        if self._hop_count:
            self.hop_power.append(self._hop_sum / self._hop_count)
            self.hop_speech.append(self._hop_speech / self._hop_count)
        self._hop_sum, self._hop_speech, self._hop_count = 0.0, 0, 0

    def _emit(self) -> None:
        if self._open is not None and self._open[1] - self._open[0] >= self.config.min_speech:
            self.segments.append(Segment(round(self._open[0], 3), round(self._open[1], 3)))
        self._open = None

    def finish(self) -> list[Segment]:
        self._close_hop()
        self._emit()
        return self.segments
