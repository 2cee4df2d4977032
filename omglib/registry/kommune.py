"""The 98 kommuner: their table, and a kommune found from a code or name as users write it.

Codes may be written "101", "0101" or 101; names in any spelling `names.fold` folds
together, with or without "Kommune", or by an alias from `data/kommuner.csv`
("Århus"). An instance that is not a kommune is told apart: the whole country ("Hele
landet"), a region, the kommunale fællesskaber or a total ("I alt"). An unknown name
gets a "mente du ...?" suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import pandas as pd

from omglib.errors import OmgError
from omglib.names import closest, fold
from omglib.registry.data import aliases, kommune_file

_KOMMUNE_SUFFIXES = ("regionskommune", "kommune")
_CODE = re.compile(r"^\s*0*(\d{1,3})(?:\.0+)?\s*$")


def kommuner() -> pd.DataFrame:
    """The 98 kommuner: `kommunekode`, `kommunenavn`, `regionskode`, `region`,
    `indbyggere_ca` (approximate, rounded to thousands: scales the synthetic demo data and
    picks the peer group in `comparisons.peer_group`). A copy: the caller may change it."""
    return _kommune_table().copy()


@cache
def _kommune_table() -> pd.DataFrame:
    return (
        kommune_file()
        .rename(
            columns={"kode": "kommunekode", "navn": "kommunenavn", "region_kode": "regionskode"}
        )
        .drop(columns="aliaser")
    )


@cache
def _kommune_names() -> Mapping[str, int]:
    """Folded name or alias → kommunekode."""
    table = kommune_file()
    lookup: dict[str, int] = {}
    for code, name, extra in zip(table["kode"], table["navn"], table["aliaser"], strict=True):
        for variant in [name, *filter(None, extra.split("|"))]:
            lookup[fold(variant)] = int(code)
    return MappingProxyType(lookup)


@cache
def _national_labels() -> frozenset[str]:
    return frozenset(fold(label) for label in aliases()["national"])


def is_national(value: object) -> bool:
    """Whether a kommune cell names the whole country ("Hele landet")."""
    return fold(value) in _national_labels()


@cache
def _not_kommune_labels() -> Mapping[str, str]:
    """Folded instance names that are not kommuner → their kind (regioner, faellesskaber,
    i_alt)."""
    return MappingProxyType(
        {
            fold(label): kind
            for kind, labels in aliases()["not_kommuner"].items()
            for label in labels
        }
    )


def not_kommune_kind(value: object) -> str | None:
    """For an instance that is not a kommune and not the whole country — a region
    ("Region Hovedstaden", "Hovedstaden"), the kommunale fællesskaber or a total ("I
    alt") — its kind (`regioner`, `faellesskaber`, `i_alt`); None for anything else."""
    folded = fold(value)
    kind = _not_kommune_labels().get(folded)
    if kind is None and folded.startswith("region") and _lookup_kommune(value) is None:
        return "regioner"
    return kind


def is_total_label(value: object) -> bool:
    """Whether a cell says "I alt" (a total row, in the instance or the subject column)."""
    return _not_kommune_labels().get(fold(value)) == "i_alt"


def kommune_code(value: object) -> int:
    """The kommunekode for a code ("101", "0101", 101) or any known name variant
    ("Københavns Kommune", "Århus", "Brønderslev-Dronninglund")."""
    code = _lookup_kommune(value)
    if code is None:
        raise OmgError(unknown_kommune_message(value))
    return code


def _lookup_kommune(value: object) -> int | None:
    text = str(value)
    digits = _CODE.match(text)
    if digits:
        code = int(digits.group(1))
        return code if code in _kommune_by_code() else None
    folded = fold(text)
    names = _kommune_names()
    if folded in names:
        return names[folded]
    for suffix in _KOMMUNE_SUFFIXES:
        if folded.endswith(suffix) and folded[: -len(suffix)] in names:
            return names[folded[: -len(suffix)]]
    return None


def kommune_codes(values: pd.Series) -> pd.Series:
    """Vectorised `kommune_code`: a nullable integer Series, <NA> where unknown."""
    unique = pd.unique(values)
    mapping = {value: _lookup_kommune(value) for value in unique}
    return values.map(mapping).astype("Int64")


def unknown_kommune_message(value: object) -> str:
    """The message for an unknown kommune, e.g. "Ukendt kommune 'Arhus' – mente du
    Aarhus (751)?"."""
    return f"Ukendt kommune '{value}' – {kommune_hint(value)}"


def kommune_hint(value: object) -> str:
    """A hint such as "mente du Aarhus (751)?" for a near miss, else how to write one."""
    suggestion = closest(str(value), {key: key for key in _kommune_names()})
    if suggestion is None:
        return "angiv en kommunekode (fx 101) eller et kommunenavn (fx København)"
    code = _kommune_names()[suggestion]
    return f"mente du {kommune_name(code)} ({code})?"


@cache
def _kommune_by_code() -> Mapping[int, str]:
    table = _kommune_table()
    return MappingProxyType(dict(zip(table["kommunekode"], table["kommunenavn"], strict=True)))


def kommune_name(code: int) -> str:
    """The kommune's official short name ("Aarhus" for 751)."""
    return _kommune_by_code()[int(code)]


def all_kommune_codes() -> list[int]:
    """The 98 kommunekoder in ascending order."""
    return sorted(_kommune_by_code())
