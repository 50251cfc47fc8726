"""`hegui admin create-user|list-users|set-password`: users, on the server's own database.

Works while the server runs (SQLite in WAL mode, or PostgreSQL).
"""

from __future__ import annotations

import getpass
import os
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from hegui.errors import HeguiError

if TYPE_CHECKING:
    from hegui.bootstrap import Platform

app = typer.Typer(
    help="用户管理 Users: create, list, set passwords (HEGUI_DATA_DIR / HEGUI_DATABASE_URL).",
    no_args_is_help=True,
)
err = Console(stderr=True, soft_wrap=True, highlight=False)

PasswordOpt = Annotated[
    str | None,
    typer.Option("--password", help="密码（省略则提示输入）password (prompted if left out)"),
]


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]{message}[/red]", markup=True)
    raise typer.Exit(code)


@contextmanager
def opened_platform() -> Iterator[Platform]:
    """The platform from the environment; its errors become messages and exit code 2."""
    # Imported here: the database stack would slow every other hegui command's start.
    from sqlalchemy.exc import SQLAlchemyError

    from hegui.bootstrap import bootstrap
    from hegui.settings import Settings

    try:
        platform = bootstrap(Settings.from_env())
    except HeguiError as exc:
        fail(exc.message)
    except SQLAlchemyError as exc:
        fail(f"无法打开数据库 cannot open the database: {exc.__class__.__name__}: {exc}")
    try:
        yield platform
    except HeguiError as exc:
        fail(exc.message)
    except SQLAlchemyError as exc:
        fail(f"数据库错误 database error: {exc.__class__.__name__}: {exc}")
    finally:
        platform.close()


def cli_actor() -> str:
    """Who the audit log names for a command-line change: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


def _password(password: str | None) -> str:
    if password is not None:
        return password
    return str(typer.prompt("密码 password", hide_input=True, confirmation_prompt=True))


@app.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument(help="用户名 username")],
    role: Annotated[
        str,
        typer.Option(help="角色 admin|compliance_manager|reviewer|team_lead|agent"),
    ],
    password: PasswordOpt = None,
    team: Annotated[str | None, typer.Option(help="团队 team (team_lead: required)")] = None,
    agent_id: Annotated[
        str | None, typer.Option("--agent-id", help="坐席编号 agent id (agent: required)")
    ] = None,
) -> None:
    """创建用户 Create a user."""
    data: dict[str, object] = {"username": username, "password": _password(password)}
    data["role"] = role
    data |= {"team": team, "agent_id": agent_id}
    with opened_platform() as platform, platform.db.transaction() as session:
        user = platform.users.create(session, data, actor=cli_actor())
        typer.echo(f"已创建用户 created user {user.username} (id {user.id}, role {user.role})")


@app.command("list-users")
def list_users() -> None:
    """列出用户 List users."""
    table = Table("id", "用户名 username", "角色 role", "团队 team", "坐席 agent_id", "启用 active")
    with opened_platform() as platform, platform.db.reader() as session:
        for user in platform.users.list(session):
            row = (user.id, user.username, user.role, user.team, user.agent_id, user.is_active)
            table.add_row(*("" if value is None else str(value) for value in row))
    Console(width=200).print(table)


@app.command("set-password")
def set_password(
    username: Annotated[str, typer.Argument(help="用户名 username")],
    password: PasswordOpt = None,
) -> None:
    """重设密码（旧令牌失效）Set a password; the user's earlier tokens stop working."""
    new_password = _password(password)
    with opened_platform() as platform, platform.db.transaction() as session:
        user = platform.users.by_username(session, username)
        platform.users.set_password(session, user, new_password, actor=cli_actor())
        typer.echo(f"已更新密码 password changed for {user.username}; earlier tokens revoked")


FIRST_ADMIN_FILE = "first-admin.txt"
# Letters and digits only: a generated password pastes into any shell or form as is.
ALPHABET = string.ascii_letters + string.digits


@app.command("init")
def init(
    username: Annotated[
        str, typer.Option(help="首个管理员的用户名 the first admin's username")
    ] = "admin",
) -> None:
    """创建首个管理员 Create the first admin of a new installation, if there is none.

    Prints its generated password once and keeps it in DATA_DIR/first-admin.txt (mode 0600);
    with an admin already there it changes nothing."""
    with opened_platform() as platform:
        saved = platform.settings.data_dir / FIRST_ADMIN_FILE
        with platform.db.reader() as session:
            admins = [u.username for u in platform.users.list(session) if u.role == "admin"]
        if admins:
            where = f"; first login in {saved}" if saved.is_file() else ""
            typer.echo(f"已有管理员 an admin exists ({', '.join(admins)}): nothing created{where}")
            return
        password = "".join(secrets.choice(ALPHABET) for _ in range(16))
        spec = {"username": username, "password": password, "role": "admin"}
        try:
            with platform.db.transaction() as session:
                platform.users.create(session, spec, actor=cli_actor())
                _save_login(saved, username, password)  # before the commit: never unsaved
        except BaseException:
            saved.unlink(missing_ok=True)
            raise
    typer.echo("已创建首个管理员 created the first admin (shown once, saved with mode 0600):")
    typer.echo(f"  用户名 username: {username}\n  密码 password: {password}\n  ({saved})")


def _save_login(path: Path, username: str, password: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)  # an existing file keeps its mode through O_TRUNC
        out.write(f"username: {username}\npassword: {password}\n")
