"""Database plumbing shared by every domain: engine, base class, units of work, migrations."""

from __future__ import annotations

from hegui.db.base import Base, UTCDateTime
from hegui.db.engine import make_engine
from hegui.db.migrate import current_revisions, head_revisions, migrate
from hegui.db.session import Database

__all__ = [
    "Base",
    "Database",
    "UTCDateTime",
    "current_revisions",
    "head_revisions",
    "make_engine",
    "migrate",
]
