"""Keeping CPR numbers out of everything omglib writes.

Files are typed by case workers, and a CPR number slips in easily: into a learning
point, a family key or a case id, but just as well into a note under a table or an
action plan's text. omglib finds them — six digits that form a real date (ddmmåå)
followed by four digits, with or without the dash — in every cell and note of every
table it reads (`protect`) and every value of a YAML file (`yamlfile.YamlReader`), and
either stops with an error naming file, row and column, or, when the user asks for it
(`mask_cpr`), replaces each one by a neutral pseudonym ("[CPR 1]", "[CPR 2]", ... in
order of appearance) before anything else reads the text. The same number gets the same
pseudonym within one file (two cases of the same family still count as one family);
pseudonyms of different files are not linked. Error messages never repeat the number:
the cell holding it reads "ddmmåå-xxxx" from the moment it is found.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from omglib.errors import Problem
from omglib.formats import format_count, plural
from omglib.io.schema import Checker

_CANDIDATE: Final = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")
MASK_HINT: Final = "fjern det, eller kør med --mask-cpr for at erstatte det med et pseudonym"
FOUND: Final = f"indeholder et CPR-nummer – {MASK_HINT}"


def _is_cpr(match: re.Match[str]) -> bool:
    """Whether a candidate's first six digits are a real date (ddmmåå) in the 1900s or
    the 2000s (29 February depends on the century)."""
    day, month, year = (int(part) for part in match.groups()[:3])
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def find_cpr(text: str) -> list[str]:
    """The CPR numbers in `text`, as written."""
    return [m.group(0) for m in _CANDIDATE.finditer(text) if _is_cpr(m)]


@dataclass
class Pseudonyms:
    """Replaces CPR numbers by "[CPR n]", the same number always by the same n."""

    numbers: dict[str, int] = field(default_factory=dict)

    def mask(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if not _is_cpr(match):
                return match.group(0)
            digits = "".join(match.groups())
            number = self.numbers.setdefault(digits, len(self.numbers) + 1)
            return f"[CPR {number}]"

        return _CANDIDATE.sub(replace, text)


def hide_cpr(text: str) -> str:
    """`text` with every CPR number shown as "ddmmåå-xxxx", for error messages."""
    return _CANDIDATE.sub(lambda m: "ddmmåå-xxxx" if _is_cpr(m) else m.group(0), text)


def protect(checker: Checker, mask_cpr: bool) -> str | None:
    """Search every cell and every note under the table of `checker`'s file for CPR
    numbers. With `mask_cpr` each is replaced by its pseudonym in place, and a note
    saying how many were is returned (None when there were none); without, each cell
    holding one is a problem and reads "ddmmåå-xxxx" from here on, so no later message
    repeats the number either."""
    source = checker.source
    pseudonyms = Pseudonyms()
    for column in source.frame.columns:
        values = source.frame[column]
        distinct = pd.unique(values)
        masked = {value: pseudonyms.mask(value) for value in distinct}
        found = [value for value in distinct if masked[value] != value]
        if not found:
            continue
        shown = masked if mask_cpr else {value: hide_cpr(value) for value in distinct}
        source.frame[column] = values.map(shown)
        if not mask_cpr:
            checker.flag(np.asarray(values.isin(found)), column, FOUND)
    for position, note in enumerate(source.notes):
        if not find_cpr(note):
            continue
        source.notes[position] = pseudonyms.mask(note) if mask_cpr else hide_cpr(note)
        if not mask_cpr:
            message = f"en note under tabellen {FOUND}"
            checker.problems.append(
                Problem(source.name, None, None, source.notes[position], message)
            )
    return masked_note(len(pseudonyms.numbers)) if mask_cpr else None


def masked_note(count: int) -> str | None:
    """The note on a file whose `count` CPR numbers were replaced by pseudonyms, or
    None when it had none."""
    if count == 0:
        return None
    numbers = format_count(count, "CPR-nummer", "CPR-numre")
    pseudonyms = plural(count, "pseudonymet [CPR 1]", f"pseudonymerne [CPR 1]–[CPR {count}]")
    return f"{numbers} er erstattet af {pseudonyms}"
