"""Creating users, checking passwords, issuing and reading bearer tokens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.errors import Conflict, NotFound, Unauthorized
from hegui.services.audit.service import AuditService, ObjectRef
from hegui.services.clock import Clock
from hegui.services.users.models import User
from hegui.services.users.passwords import Passwords
from hegui.services.users.repository import UserRepository
from hegui.services.users.schemas import PasswordChange, UserCreate
from hegui.services.users.tokens import IssuedToken, TokenSigner
from hegui.services.validation import validated

BAD_LOGIN = "用户名或密码错误 wrong username or password"


class UserService:
    def __init__(
        self, passwords: Passwords, tokens: TokenSigner, audit: AuditService, clock: Clock
    ) -> None:
        self.passwords = passwords
        self.tokens = tokens
        self.audit = audit
        self.clock = clock

    def create(
        self, session: Session, data: UserCreate | Mapping[str, object], *, actor: str
    ) -> User:
        """A new active user; `Invalid` naming the field, `Conflict` on a taken username."""
        spec = validated(UserCreate, data)
        repo = UserRepository(session)
        if repo.by_username(spec.username) is not None:
            raise _taken(spec.username)
        now = self.clock.now()
        user = User(
            username=spec.username,
            password_hash=self.passwords.hash(spec.password.get_secret_value()),
            role=spec.role.value,
            team=spec.team,
            agent_id=spec.agent_id,
            is_active=True,
            token_generation=0,
            created_at=now,
            updated_at=now,
        )
        try:
            # A savepoint: losing a race for the name must not spoil the caller's transaction.
            with session.begin_nested():
                repo.add(user)
        except IntegrityError as exc:
            raise _taken(spec.username) from exc
        details: dict[str, str | None] = {"username": user.username, "role": user.role}
        details |= {"team": user.team, "agent_id": user.agent_id}
        self.audit.record(session, actor, "user.create", ObjectRef("user", user.id), details)
        return user

    def get(self, session: Session, user_id: int) -> User:
        user = UserRepository(session).get(user_id)
        if user is None:
            raise NotFound(f"用户不存在 no user {user_id}")
        return user

    def by_username(self, session: Session, username: str) -> User:
        user = UserRepository(session).by_username(username)
        if user is None:
            raise NotFound(f"用户不存在 no user {username!r}")
        return user

    def list(self, session: Session) -> Sequence[User]:
        return UserRepository(session).all()

    def authenticate(self, session: Session, username: str, password: str) -> User:
        user = UserRepository(session).by_username(username)
        if user is None or not user.is_active:
            self.passwords.burn(password)
            raise Unauthorized(BAD_LOGIN)
        if not self.passwords.verify(user.password_hash, password):
            raise Unauthorized(BAD_LOGIN)
        if self.passwords.needs_rehash(user.password_hash):
            user.password_hash = self.passwords.hash(password)
        return user

    def login(self, session: Session, username: str, password: str) -> IssuedToken:
        user = self.authenticate(session, username, password)
        return self.tokens.issue(user.id, user.token_generation)

    def user_for_token(self, session: Session, token: str) -> User:
        """The active user a valid, unexpired, unrevoked token belongs to."""
        claims = self.tokens.read(token)
        user = UserRepository(session).get(claims.user_id)
        if user is None or not user.is_active or user.token_generation != claims.generation:
            raise Unauthorized("令牌已失效 token revoked")
        return user

    def set_password(self, session: Session, user: User, password: str, *, actor: str) -> User:
        """New password; every token issued before stops working."""
        spec = validated(PasswordChange, {"password": password})
        user.password_hash = self.passwords.hash(spec.password.get_secret_value())
        user.token_generation += 1
        user.updated_at = self.clock.now()
        session.flush()
        ref = ObjectRef("user", user.id)
        self.audit.record(session, actor, "user.password_change", ref, {"revoked_tokens": True})
        return user


def _taken(username: str) -> Conflict:
    return Conflict(f"用户名已存在 username already exists: {username}")
