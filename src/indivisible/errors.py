"""One error type for every problem a user can fix by changing an input.

The CLI turns an :class:`InputError` into a single line on stderr and exit code 2, so
the message must name the file, the place (line where known) and the field, and say
what was expected.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A user-fixable problem with an input file, argument or value."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"

    def __str__(self) -> str:
        return self.render()
