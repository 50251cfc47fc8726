"""The course for each taxonomy category: configured ones, else a default named after it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.errors import NotFound
from hegui.packs import taxonomy
from hegui.services.training.models import TrainingCourse
from hegui.services.training.schemas import CourseRead


def default_course(category: str) -> CourseRead:
    found = taxonomy().categories[category]
    title = f"专项培训：{found.zh} Training: {category}"
    return CourseRead(category=category, title=title, url=None, configured=False)


def course_for(session: Session, category: str) -> CourseRead:
    row = session.get(TrainingCourse, category)
    return _read(row) if row is not None else default_course(known_category(category))


def all_courses(session: Session) -> list[CourseRead]:
    configured = {row.category: row for row in session.scalars(select(TrainingCourse))}
    return [_read(configured[c]) if c in configured else default_course(c) for c in taxonomy()]


def known_category(category: str) -> str:
    if category not in taxonomy():
        raise NotFound(f"分类不存在 no category {category!r}")
    return category


def _read(row: TrainingCourse) -> CourseRead:
    return CourseRead(
        category=row.category,
        title=row.title,
        url=row.url,
        configured=True,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
