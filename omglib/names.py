"""Matching of names as users write them: one folding rule for headers, kommuner,
areas, outcomes and laws, so that "Ændring/ophævelse", "aendring/ophaevelse" and
"ÆNDRING / OPHÆVELSE" are the same name."""

from __future__ import annotations

import difflib
import re
import unicodedata

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def fold(name: object) -> str:
    """Lower-case, æ→ae, ø→oe, å→aa, without spaces or punctuation."""
    text = unicodedata.normalize("NFC", str(name)).strip().casefold()
    return _NOT_ALPHANUMERIC.sub("", text.translate(_DANISH_LETTERS))


def closest(name: str, candidates: dict[str, str]) -> str | None:
    """The display name of the candidate closest to `name`, for "mente du ...?" hints.

    `candidates` maps folded names to display names."""
    match = difflib.get_close_matches(fold(name), list(candidates), n=1, cutoff=0.6)
    return candidates[match[0]] if match else None


def did_you_mean(guess: str | None) -> str:
    """What follows an unknown name: " – mente du 'x'?" for a near miss, else ".", so that
    the list of known names after it ("Kendte felter: ...") starts a sentence either way."""
    return f" – mente du '{guess}'?" if guess else "."
