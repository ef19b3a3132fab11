"""INSERT … ON CONFLICT DO UPDATE, in batches, for the two backends the engine runs on.

A batch is compiled once and sent as one DBAPI executemany with values already converted by each
column's own bind processor: SQLAlchemy's per-row parameter handling otherwise costs as much as
the database's work (half of a million-row import).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session

_INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(
    session: Session,
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    *,
    keep_when_null: Sequence[str] = (),
) -> None:
    """Insert `rows` (all with the same columns) into `model`'s table. A row whose `keys` exist
    replaces the stored values, except that a null in a `keep_when_null` column keeps the stored one."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in _INSERTS:  # pragma: no cover - the engine supports SQLite and PostgreSQL
        raise NotImplementedError(f"upsert on {dialect.name}")
    table = model.__table__
    assert isinstance(table, Table)
    names = list(rows[0])
    statement = _INSERTS[dialect.name](table)
    updates = {
        name: func.coalesce(statement.excluded[name], table.c[name])
        if name in keep_when_null
        else statement.excluded[name]
        for name in names
        if name not in keys
    }
    compiled = statement.on_conflict_do_update(index_elements=list(keys), set_=updates).compile(
        dialect=dialect, column_keys=names
    )
    order = list(compiled.positiontup or []) if compiled.positional else names
    converters = [
        (index, processor)
        for index, name in enumerate(order)
        if (processor := table.c[name].type.bind_processor(dialect)) is not None
    ]
    pick = itemgetter(*order)
    params: list[Any] = []
    for row in rows:
        values = list(pick(row))
        for index, processor in converters:
            if values[index] is not None:
                values[index] = processor(values[index])
        params.append(tuple(values) if compiled.positional else dict(zip(order, values, strict=True)))
    connection.exec_driver_sql(str(compiled), params)
