"""Recordings of uploaded calls: kept in a store, recorded on their revision, played back
(audited)."""

from hegui.services.recordings.models import Recording
from hegui.services.recordings.service import Playback, RecordingService, StoreUnavailable

__all__ = ["Playback", "Recording", "RecordingService", "StoreUnavailable"]
