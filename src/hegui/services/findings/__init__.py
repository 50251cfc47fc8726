"""Findings: stored with their rule version, per revision, superseded rather than deleted."""

from __future__ import annotations

from hegui.services.findings.models import Inspection, StoredFinding
from hegui.services.findings.schemas import FindingRead
from hegui.services.findings.service import FindingService, FindingsHook, InspectionRun

__all__ = [
    "FindingRead",
    "FindingService",
    "FindingsHook",
    "Inspection",
    "InspectionRun",
    "StoredFinding",
]
