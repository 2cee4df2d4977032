"""Reading a YAML file a user wrote by hand, with every problem placed by line and field.

The action plan (and any other hand-written YAML input) is read through `YamlReader`:
keys are matched with omglib's one folding rule (`names.fold`), misspelt keys get a
"mente du ...?" suggestion instead of also being reported missing, empty and mistyped
values are flagged, and all problems are collected so the user fixes them in one go.
Every value is searched for CPR numbers like a table's cells (`omglib.io.privacy`): one
found is a problem at its line and field (the number not repeated), unless `mask_cpr`,
which replaces each by a pseudonym ("[CPR 1]") before the value is used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from omglib import registry
from omglib.errors import DataError, Problem
from omglib.formats import listed, plural
from omglib.io.privacy import FOUND, Pseudonyms, find_cpr, hide_cpr
from omglib.io.schema import DATE_FORMATS, MIN_YEAR
from omglib.names import closest, did_you_mean, fold

DATE_EXPECTED: Final = "forventede en dato som 2024-04-01 (år-måned-dag) eller 01-04-2024"
NULL_TAG: Final = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class LineProblem(Problem):
    """A problem in a YAML file, placed by line (YAML has lines, not rows) and field."""

    row_word: ClassVar[str] = "linje"
    column_word: ClassVar[str] = ""


Field = tuple[ScalarNode, Node]
T = TypeVar("T")


@dataclass(frozen=True)
class Fields:
    """The fields of one YAML mapping by canonical key, where the mapping starts, and the
    keys that misspelt keys were probably meant to be."""

    node: Node
    found: dict[str, Field]
    guessed: frozenset[str]

    def __contains__(self, name: str) -> bool:
        return name in self.found

    def parse(self, name: str, parse: Callable[[Field], T | None]) -> T | None:
        """The field parsed, or None when it is absent (or a problem, already flagged)."""
        return parse(self.found[name]) if name in self.found else None


class YamlReader:
    """Walks the YAML node tree of one file, collecting every problem; a file format
    subclasses it with readers of its own values."""

    def __init__(self, file: str, mask_cpr: bool = False) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.mask_cpr = mask_cpr
        self.pseudonyms = Pseudonyms()

    def flag(self, node: Node | None, column: str | None, message: str) -> None:
        row = None if node is None else node.start_mark.line + 1
        self.problems.append(LineProblem(self.file, row, column, None, message))

    def fields(
        self, node: Node, allowed: Sequence[str], what: str, at: Node | None = None
    ) -> Fields | None:
        """A mapping's fields by canonical key, and the keys that unknown keys were
        probably meant to be (so a misspelt key is not also reported missing). Problems
        of the whole mapping are placed at `at` (its key) or where the mapping starts."""
        if not isinstance(node, MappingNode):
            self.flag(node, None, f"forventede {what} med felter som '{allowed[0]}:'")
            return None
        known = {fold(name): name for name in allowed}
        found: dict[str, Field] = {}
        guessed: set[str] = set()
        for key, value in node.value:
            written = hide_cpr(str(key.value))
            name = known.get(fold(written))
            if name is None:
                guess = closest(written, known)
                guessed.add(guess or "")
                message = (
                    f"ukendt felt '{written}'{did_you_mean(guess)} Kendte felter: {listed(allowed)}"
                )
                self.flag(key, None, message)
            elif name in found:
                first = found[name][0].start_mark.line + 1
                self.flag(key, written, f"feltet står to gange (også på linje {first})")
            else:
                found[name] = (key, value)
        return Fields(at or node, found, frozenset(guessed))

    def missing(self, fields: Fields, required: Sequence[str], who: str) -> None:
        """One problem naming every required field that is neither given nor misspelt."""
        absent = [name for name in required if name not in fields and name not in fields.guessed]
        if absent:
            self.flag(fields.node, None, f"{who} mangler {fields_text(absent)}")

    def text(self, field: Field) -> str | None:
        """A field's text as written (numbers and dates too; a CPR number in it replaced
        by its pseudonym with `mask_cpr`), or None (flagged) when it is empty, not a
        single value or holds a CPR number that is not to be masked."""
        key, node = field
        if not isinstance(node, ScalarNode):
            self.flag(node, key.value, "forventede en enkelt værdi, ikke en liste eller felter")
            return None
        written = str(node.value).strip()
        if node.tag == NULL_TAG or not written:
            self.flag(key, key.value, "er tom – skriv en værdi efter kolon")
            return None
        if not find_cpr(written):
            return written
        if self.mask_cpr:
            return self.pseudonyms.mask(written)
        self.flag(node, key.value, FOUND)
        return None

    def texts(self, field: Field) -> tuple[str, ...] | None:
        """A text or a list of texts."""
        key, node = field
        if not isinstance(node, SequenceNode):
            single = self.text(field)
            return None if single is None else (single,)
        items = [self.text((key, item)) for item in node.value]
        if not node.value:
            self.flag(node, key.value, "listen er tom – skriv mindst én aktivitet")
        return None if None in items or not items else tuple(i for i in items if i)

    def year(self, field: Field) -> int | None:
        written = self.text(field)
        if written is None:
            return None
        if not re.fullmatch(r"\d{4}", written) or int(written) < MIN_YEAR:
            message = f"'{written}' er ikke et årstal – forventede et år fra {MIN_YEAR}, fx 2025"
            self.flag(field[1], field[0].value, message)
            return None
        return int(written)

    def date(self, field: Field) -> dt.date | None:
        written = self.text(field)
        if written is None:
            return None
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(written, date_format).date()
            except ValueError:
                continue
        self.flag(field[1], field[0].value, f"'{written}' er ikke en gyldig dato – {DATE_EXPECTED}")
        return None

    def choice(self, field: Field, known: dict[str, str], what: str, expected: str) -> str | None:
        """A value from a coded list (`known` maps folded spellings to values), with a
        "mente du ...?" suggestion when it is unknown."""
        written = self.text(field)
        if written is None:
            return None
        value = known.get(fold(written))
        if value is None:
            guess = closest(written, known)
            message = f"ukendt {what} '{written}'{did_you_mean(guess)} {expected}"
            self.flag(field[1], field[0].value, message)
        return value

    def area(self, field: Field) -> str | None:
        """An area by id or Danish name ("boernehandicap", "Børnehandicapområdet"), or a
        kommune's own group of provisions in use (`registry.group`)."""
        named: list[registry.Area | registry.AreaGroup] = [
            *registry.areas().values(),
            *registry.area_groups().values(),
        ]
        known = {fold(area.id): area.id for area in named}
        known.update({fold(area.name): area.id for area in named})
        expected = f"Forventede {listed([area.id for area in named], 'eller')}"
        return self.choice(field, known, "område", expected)


def compose(raw: bytes, name: str) -> Node | None:
    """The YAML node tree (it keeps line numbers), or a one-line DataError."""
    try:
        return yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        message = "filen er ikke gemt som UTF-8 – gem den som UTF-8 og prøv igen"
        raise DataError([LineProblem(name, None, None, None, message)]) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        row = None if mark is None else mark.line + 1
        detail = error.problem or error.context
        message = (
            f"er ikke gyldig YAML – tjek indrykning, kolon og anførselstegn (YAML siger: {detail})"
        )
        raise DataError([LineProblem(name, row, None, None, message)]) from error


def fields_text(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    noun = plural(len(names), "feltet", "felterne")
    return f"{noun} {listed(quoted, 'og')}"
