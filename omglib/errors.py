"""Exceptions raised by omglib.

Every error carries a Danish message a municipal analyst can act on; the CLI prints it as
one line and exits with code 2. Data errors collect every problem found in a file, so the
user can fix them all in one go instead of one per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from omglib.formats import format_count, format_int

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
    more_rows: int = 0

    #: How a place in the file is named: rows and columns of a table.
    row_word: ClassVar[str] = "række"
    column_word: ClassVar[str] = "kolonne "

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.row_word} {self.row}")
        if self.column is not None:
            where.append(f"{self.column_word}'{self.column}'")
        found = f"'{self.value}': " if self.value is not None else ""
        return f"{', '.join(where)}: {found}{self.message}"


class DataError(OmgError):
    """One or more problems in an input file, all reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_reading_order)
        super().__init__(self._summary())

    def _summary(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = self.total() - len(shown)
        if hidden > 0:
            shown.append(f"... og {_problems(hidden)} mere (i alt {format_int(self.total())})")
        return "\n".join(shown)

    def total(self) -> int:
        """How many problems the file has, counting rows behind a capped check."""
        return sum(1 + problem.more_rows for problem in self.problems)

    def one_line(self) -> str:
        """The first problem, with a count of the rest: for a one-line CLI message."""
        first = str(self.problems[0])
        rest = self.total() - 1
        return first if rest == 0 else f"{first} (og {_problems(rest)} mere)"


def _problems(count: int) -> str:
    """ "1 problem", "2 problemer"."""
    return format_count(count, "problem", "problemer")


def _reading_order(problem: Problem) -> tuple[str, bool, int, str]:
    """File by file; problems of the whole file first, then by row; a capped check's
    "N rækker mere" after the rows it continues."""
    whole_file = problem.row is None and problem.more_rows == 0
    row = problem.row if problem.row is not None else 1 << 62
    return (problem.file, not whole_file, row, problem.column or "")
