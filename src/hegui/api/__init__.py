"""The HTTP API of `hegui serve` (contract: `shared/spec/api.md`); see `docs/api.md`."""

from __future__ import annotations

from hegui.api.app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
