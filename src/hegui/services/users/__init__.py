"""Users, roles, passwords and bearer tokens."""

from __future__ import annotations

from hegui.services.users.models import User
from hegui.services.users.schemas import Role, UserCreate, UserRead
from hegui.services.users.service import UserService
from hegui.services.users.tokens import IssuedToken, TokenSigner

__all__ = ["IssuedToken", "Role", "TokenSigner", "User", "UserCreate", "UserRead", "UserService"]
