"""`ss users list|add|disable|enable|reset-password|promote|demote`: a server's accounts (admins only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..output import console
from ..output.formatters import Column, emit, short_time
from ._shared import JsonOption, OutputOption, api, output_format

if TYPE_CHECKING:
    from ..contract import UserPassword

app = typer.Typer(
    help=(
        "Manage a server's accounts (administrators only): add, list, disable, enable, reset a "
        "password, grant or remove the admin flag."
    ),
    no_args_is_help=True,
)

UserArgument = Annotated[str, typer.Argument(help="The account's email or id (usr_…).", metavar="USER")]

USER_COLUMNS = [
    Column("id", fixed=True),
    Column("email", fixed=True),
    Column("name"),
    Column("is_admin", "ADMIN", fixed=True, human=lambda value: "admin" if value else ""),
    Column("disabled_at", "DISABLED (UTC)", fixed=True, human=short_time),
    Column("created_at", "CREATED (UTC)", fixed=True, human=short_time),
]


@app.command("list")
def list_users(ctx: typer.Context, json_flag: JsonOption = False, output: OutputOption = None) -> None:
    """List the server's accounts: admin flag, and when each was disabled (never a password).

    Example: ss users list -o csv > accounts.csv
    """
    with api(ctx) as client:
        page = client.users.list(limit=100)
    emit(page.users, output_format(ctx, json_flag, output), columns=USER_COLUMNS)


@app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The new account's email (its login).")],
    name: Annotated[str | None, typer.Option(help="A display name.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make the account an administrator.")] = False,
    json_flag: JsonOption = False,
) -> None:
    """Create an account with a generated first password, printed once on stdout.

    The server keeps only the password's hash: hand it to the person over a private channel. If
    it is lost, `ss users reset-password` generates another.

    Examples:

      ss users add ana@example.com --name "Ana" > ana-password.txt

      ss users add ops@example.com --admin --json
    """
    with api(ctx) as client:
        created = client.users.create(email, name, is_admin=admin)
    _show_password(created, json_flag, f"Created {created.user.email} ({created.user.id})")


@app.command("reset-password")
def reset_password(ctx: typer.Context, user: UserArgument, json_flag: JsonOption = False) -> None:
    """Generate a new password for an account (printed once on stdout) and end its logins.

    Its personal API tokens keep working; `ss users disable` revokes those too.

    Example: ss users reset-password ana@example.com > ana-password.txt
    """
    with api(ctx) as client:
        reset = client.users.reset_password(user)
    _show_password(reset, json_flag, f"New password for {reset.user.email}; its logins have ended")


def _show_password(result: UserPassword, json_flag: bool, message: str) -> None:
    if json_flag:
        emit(result, "json")
    else:
        console.write_data(result.password)
        console.info(f"{message}. The password above is shown once and will not be shown again.")


@app.command("disable")
def disable(ctx: typer.Context, user: UserArgument, json_flag: JsonOption = False) -> None:
    """Disable an account: it cannot log in, and its logins and API tokens are revoked at once.

    The last administrator cannot be disabled (the server answers 409; exit 1).

    Example: ss users disable ana@example.com
    """
    with api(ctx) as client:
        done = client.users.disable(user)
    _done(done, json_flag, f"disabled {done.email}: its logins and API tokens are revoked")


@app.command("enable")
def enable(ctx: typer.Context, user: UserArgument, json_flag: JsonOption = False) -> None:
    """Let a disabled account log in again (its old tokens stay revoked).

    Example: ss users enable ana@example.com
    """
    with api(ctx) as client:
        done = client.users.enable(user)
    _done(done, json_flag, f"enabled {done.email}")


@app.command("promote")
def promote(ctx: typer.Context, user: UserArgument, json_flag: JsonOption = False) -> None:
    """Make an account an administrator.

    Example: ss users promote ana@example.com
    """
    from ..contract import UserUpdate

    with api(ctx) as client:
        done = client.users.update(user, UserUpdate(is_admin=True))
    _done(done, json_flag, f"{done.email} is an administrator")


@app.command("demote")
def demote(ctx: typer.Context, user: UserArgument, json_flag: JsonOption = False) -> None:
    """Remove an account's admin flag (refused for the last administrator: 409, exit 1).

    Example: ss users demote ana@example.com
    """
    from ..contract import UserUpdate

    with api(ctx) as client:
        done = client.users.update(user, UserUpdate(is_admin=False))
    _done(done, json_flag, f"{done.email} is no longer an administrator")


def _done(user: object, json_flag: bool, message: str) -> None:
    if json_flag:
        emit(user, "json")
    else:
        console.success(message)
