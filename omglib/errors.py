"""Exceptions raised by omglib.

Every error carries a Danish message a municipal analyst can act on; the CLI prints it as
one line and exits with code 2. Data errors collect every problem found in a file, so the
user can fix them all in one go instead of one per run.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 25


class OmgError(Exception):
    """Base class for errors a user can fix (bad input, unknown names, bad parameters)."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is (file, row as shown in Excel or a text
    editor, column as the user named it), what was found and what was expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column is not None:
            where.append(f"kolonne '{self.column}'")
        found = f"'{self.value}': " if self.value is not None else ""
        return f"{', '.join(where)}: {found}{self.message}"


class DataError(OmgError):
    """One or more problems in an input file, all reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_reading_order)
        super().__init__(self._summary())

    def _summary(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"... og {hidden} problemer mere (i alt {len(self.problems)})")
        return "\n".join(shown)

    def one_line(self) -> str:
        """The first problem, with a count of the rest: for a one-line CLI message."""
        first = str(self.problems[0])
        rest = len(self.problems) - 1
        return first if rest == 0 else f"{first} (og {rest} problemer mere)"


def _reading_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.row or 0, problem.column or "")
