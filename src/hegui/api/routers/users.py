"""Users: who am I (`/users/me`), and the admin's list and creation of users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from hegui.api.deps import AdminUser, CurrentUser, PlatformDep, ReaderDep, SessionDep
from hegui.api.errors import documented
from hegui.api.schemas import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, Page
from hegui.services.users import UserCreate, UserRead

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=documented(401, 403))


@router.get("/me", response_model=UserRead)
def read_me(user: CurrentUser, platform: PlatformDep, session: ReaderDep) -> UserRead:
    """当前用户 The logged-in user."""
    return UserRead.model_validate(platform.users.get(session, user.id))


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=documented(409),
)
def create_user(
    spec: UserCreate,
    admin: AdminUser,
    platform: PlatformDep,
    session: SessionDep,
    response: Response,
) -> UserRead:
    """创建用户 Create a user (admin). 409 when the username is taken.

    A `team_lead` needs `team`, an `agent` needs `agent_id`; unknown fields are refused.
    """
    user = platform.users.create(session, spec, actor=admin.actor)
    response.headers["Location"] = f"{router.prefix}/{user.id}"
    return UserRead.model_validate(user)


@router.get("", response_model=Page[UserRead])
def list_users(
    _admin: AdminUser,
    platform: PlatformDep,
    session: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Page[UserRead]:
    """用户列表 Every user, by id (admin)."""
    users = platform.users.list(session)
    items = [UserRead.model_validate(user) for user in users[offset : offset + limit]]
    return Page(items=items, total=len(users))


@router.get("/{user_id}", response_model=UserRead, responses=documented(404))
def read_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _admin: AdminUser,
    platform: PlatformDep,
    session: ReaderDep,
) -> UserRead:
    """一个用户 One user by id (admin)."""
    return UserRead.model_validate(platform.users.get(session, user_id))
