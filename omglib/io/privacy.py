"""Keeping CPR numbers out of everything omglib writes.

Free text in case files (learning points, family keys, case ids) is typed by case
workers, and a CPR number slips in easily. omglib finds them — six digits that form a
real date (ddmmåå) followed by four digits, with or without the dash — and either stops
with an error naming file, row and column, or, when the user asks for it, replaces each
one by a neutral pseudonym ("[CPR 1]", "[CPR 2]", ... in order of appearance), so the
same person stays recognisable within one file (two cases of the same family still
count as one family) and no number is left. Error messages never repeat the number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

_CANDIDATE: Final = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")
MASK_HINT: Final = "fjern det, eller kør med --mask-cpr for at erstatte det med et pseudonym"


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
