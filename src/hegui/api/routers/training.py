"""Training pushed to agents with repeated confirmed violations, and the course per category."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep, SessionDep, requires
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, Page
from hegui.services.access import Principal
from hegui.services.training import AssignmentRead, CourseIn, CourseRead
from hegui.services.users.schemas import Role

router = APIRouter(prefix="/api/v1/training", tags=["training"], responses=documented(401, 403))
Manager = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]
AssignmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="assignment id")]
Text = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get("/assignments", response_model=Page[AssignmentRead])
def list_assignments(
    user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
    status: Literal["assigned", "acknowledged", "completed"] | None = None,
    agent_id: Text = None,
    category: Text = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Page[AssignmentRead]:
    """培训任务 Assignments the user may see (an agent: its own; a team lead: its team's)."""
    items, total = platform.training.assignments(
        session,
        user,
        status=status,
        agent_id=agent_id,
        category=category,
        limit=limit,
        offset=offset,
    )
    return Page(items=items, total=total)


@router.post(
    "/assignments/{assignment_id}/acknowledge",
    response_model=AssignmentRead,
    responses=documented(404, 409),
)
def acknowledge_assignment(
    assignment_id: AssignmentId, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> AssignmentRead:
    """确认收到 `assigned` → `acknowledged` (the assigned agent)."""
    return platform.training.acknowledge(session, user, assignment_id)


@router.post(
    "/assignments/{assignment_id}/complete",
    response_model=AssignmentRead,
    responses=documented(404, 409),
)
def complete_assignment(
    assignment_id: AssignmentId, user: CurrentUser, platform: PlatformDep, session: SessionDep
) -> AssignmentRead:
    """完成培训 `acknowledged` → `completed` (the assigned agent)."""
    return platform.training.complete(session, user, assignment_id)


@router.get("/courses", response_model=list[CourseRead])
def list_courses(_user: CurrentUser, platform: PlatformDep, session: ReaderDep) -> list[CourseRead]:
    """培训课程 The course of every taxonomy category (configured, or the default)."""
    return platform.training.courses(session)


@router.put("/courses/{category}", response_model=CourseRead, responses=documented(404))
def set_course(
    category: Annotated[str, Path(min_length=1, max_length=64)],
    spec: CourseIn,
    user: Manager,
    platform: PlatformDep,
    session: SessionDep,
) -> CourseRead:
    """设置课程 The course assigned for a category (admin, compliance_manager); 404 for a
    category the taxonomy does not have."""
    return platform.training.set_course(session, category, spec, actor=user.actor)
