"""The package surfaces stay honest: public names, migrations head, help text on every command."""

from __future__ import annotations

import importlib

import scriptsensei_cli.client as client
import scriptsensei_cli.contract as contract
from scriptsensei_cli.engine.store.db import HEAD_REVISION, alembic_config
from scriptsensei_cli.main import app


def test_all_lists_every_public_name() -> None:
    exported = {name for name in vars(client) if not name.startswith("_")} - {"annotations"}
    submodules = {name for name, value in vars(client).items() if type(value).__name__ == "module"}
    assert set(client.__all__) == exported - submodules
    # The contract loads its names on first use: `__all__` is what it can load, and each one loads.
    assert set(contract.__all__) == set(contract._HOMES)
    for name, home in contract._HOMES.items():
        module = importlib.import_module(f"scriptsensei_cli.contract.{home}")
        assert getattr(contract, name) is getattr(module, name), name


def test_head_revision_constant_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_every_command_has_help_text() -> None:
    import typer.main

    def walk(command, path):  # type: ignore[no-untyped-def]
        assert command.help or command.short_help, f"`ss {' '.join(path)}` has no help text"
        names = command.list_commands(None) if hasattr(command, "list_commands") else []
        for name in names:
            walk(command.get_command(None, name), [*path, name])

    walk(typer.main.get_command(app), [])
