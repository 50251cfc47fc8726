"""Finding categories (the stable ids of taxonomy.yaml) and their default severities."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hegui.engine.vocabulary import SEVERITIES


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    zh: str
    severity: str
    group: str


class Taxonomy:
    def __init__(self, categories: Mapping[str, Category]) -> None:
        self.categories = dict(categories)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Taxonomy:
        """Build from the parsed taxonomy.yaml: {group: {id: {zh, severity, e.g}}}."""
        categories: dict[str, Category] = {}
        for group, entries in data.items():
            if not isinstance(entries, Mapping):
                raise ValueError(f"taxonomy group {group!r} must map ids to entries")
            for cid, entry in entries.items():
                severity = entry.get("severity")
                if severity not in SEVERITIES:
                    raise ValueError(f"taxonomy {cid}: bad severity {severity!r}")
                categories[cid] = Category(cid, str(entry.get("zh", "")), severity, group)
        return cls(categories)

    def __contains__(self, cid: object) -> bool:
        return cid in self.categories

    def __iter__(self) -> Iterator[str]:
        return iter(self.categories)

    def default_severity(self, cid: str) -> str:
        return self.categories[cid].severity
