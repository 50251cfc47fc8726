"""Training push: courses per category, assignments for agents with repeated confirmed
violations, acknowledged and completed by the agent."""

from __future__ import annotations

from hegui.services.training.models import TrainingAssignment, TrainingCourse
from hegui.services.training.schemas import AssignmentRead, CourseIn, CourseRead
from hegui.services.training.service import TrainingService

__all__ = [
    "AssignmentRead",
    "CourseIn",
    "CourseRead",
    "TrainingAssignment",
    "TrainingCourse",
    "TrainingService",
]
