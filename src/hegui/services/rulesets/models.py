"""Rule packs stored with versions: every published text is kept, one version is current."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hegui.db import Base


class RulePack(Base):
    __tablename__ = "rule_packs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    current_version: Mapped[int | None]  # None: withdrawn, inspections no longer use it
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RulePackVersion(Base):
    __tablename__ = "rule_pack_versions"
    __table_args__ = (UniqueConstraint("pack", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack: Mapped[str] = mapped_column(ForeignKey("rule_packs.name"))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)  # the YAML as published
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the text
    # {rule_id: {"version": n, "digest": sha256 of the rule without its version}}
    rules: Mapped[dict[str, Any]]
    published_by: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[datetime]
