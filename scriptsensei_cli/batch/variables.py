"""`{{name}}` in a row's title, script or topic, replaced by that row's cell for the column `name`."""

from __future__ import annotations

import re
from collections.abc import Callable

from .header import PLACEHOLDER, Header, snake, suggest


class Substitution:
    """`{{name}}` → the row's cell for that column; reports unknown names and empty cells once a row."""

    def __init__(
        self,
        variables: dict[str, str],
        known: dict[str, str],
        header: Header,
        report: Callable[[str, str], None],
    ) -> None:
        self.variables = variables
        self.known = known
        self.header = header
        self.report = report
        self.reported: set[str] = set()

    def __call__(self, column: str, text: str) -> str:
        if "{{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            source, value = self._lookup(name, column)
            if value:
                return value
            if name.casefold() not in self.reported:
                self.reported.add(name.casefold())
                if source is None:
                    message = f"{{{{{name}}}}} in the {column}: there is no column {name!r}"
                    suggestion = suggest(name, self.variables)
                    if suggestion is not None:
                        message += f"; did you mean {{{{{suggestion}}}}}?"
                    self.report(column, message)
                else:
                    self.report(
                        source,
                        f"{{{{{name}}}}} is used in the {column}, but this row's {source!r} cell is empty",
                    )
            return match.group(0)

        return PLACEHOLDER.sub(replace, text)

    def _lookup(self, name: str, column: str) -> tuple[str | None, str]:
        """The column `name` refers to (as written) and its value in this row; (None, "") if none."""
        if name in self.variables:
            return name, self.variables[name]
        for variable, value in self.variables.items():
            if variable.casefold() == name.casefold():
                return variable, value
        known = snake(name)
        # Title and script are what is being filled in; a topic cannot contain itself.
        if known in self.known and known not in ("title", "script", column):
            return self.header.written(known), self.known[known]
        return None, ""
