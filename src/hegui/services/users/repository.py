"""Queries on the `users` table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.services.users.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username)).one_or_none()

    def all(self) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.id)).all()

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user
