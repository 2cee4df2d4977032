"""A provision as Ankestyrelsen's statistics and kommuner write it, resolved to its id.

"Serviceloven § 41 - Merudgifter til børn", "§ 41 i serviceloven" and "SEL § 41, stk. 1"
are all SEL § 41: the written text is parsed into law, number, stk. and subject, and
checked against `data/paragraffer.csv` and the year the provision must be in force.
Laws are named as in `data/aliaser.yaml`. A message for text that cannot be resolved
says what was expected, or what applies instead in that year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import pandas as pd

from omglib.errors import OmgError
from omglib.names import closest, fold
from omglib.registry.data import _provision_table, aliases

_SUBJECT_DASH = re.compile(r"\s+[-–—]\s+")
_SECTION = re.compile(
    r"§+\s*(?P<number>\d+)(?:\s*(?P<letter>[a-zæøå])(?![a-zæøå])(?!\s+[a-zæøå]{2}))?"
    r"(?P<below>(?:\s*,?\s*(?:stk|nr|litra)\.?\s*\d+\s*[a-z]?(?![a-zæøå]))*)",
    re.IGNORECASE,
)
_SUBSECTION = re.compile(r"stk\.?\s*(\d+)", re.IGNORECASE)
_LAW_PREPOSITION = re.compile(r"^\s*(?:i|efter|jf\.?)\s+", re.IGNORECASE)
_SUBJECT_PUNCTUATION = " -–—:;,.()"


@dataclass(frozen=True)
class Provision:
    """A provision as omglib counts it: its canonical id ("SEL § 41"), a label (the
    registry's description, else the subject text the file wrote beside it) and whether
    the registry knows it (a provision it does not know counts only in socialområdet)."""

    id: str
    label: str
    in_registry: bool


def provision_id(text: object, year: int | None = None, law: str = "") -> str:
    """The canonical provision id ("SEL § 41") for a written provision; see
    `resolve_provision`."""
    return resolve_provision(text, year, law).id


def resolve_provision(text: object, year: int | None = None, law: str = "") -> Provision:
    """The provision a text names, as Ankestyrelsen's statistics and kommuner write it.

    Accepted: the law before or after the number ("Serviceloven § 41", "§ 41 i
    serviceloven", "Servicelovens § 41"), a subject on either side of a spaced dash
    ("Serviceloven § 41 - Merudgifter til børn", "Merudgifter til børn  -  Serviceloven
    § 41"), a letter ("§ 9 a", "§ 32a") and a stk./nr. below the provision, which is
    counted under the provision ("SEL § 41, stk. 1" → SEL § 41) unless the registry names
    that stk. itself ("SEL § 52, stk. 3"). `law` is the text of a separate law column
    ("Lovgrundlag": "Serviceloven") for a provision written without its law; without
    either, the law is the one registry law with that number in `year`.

    Every provision of serviceloven, barnets lov and retssikkerhedsloven is accepted, the
    ones outside the registry with `in_registry` False. Raises OmgError for text that names
    no provision, an unknown law, a law not in force in `year` and a registry provision
    that does not apply in `year` (naming its successor, e.g. SEL § 41 → BL § 86 from
    2024)."""
    provision, problem = _resolved_provision(
        str(text), None if year is None else int(year), str(law)
    )
    if problem is not None:
        raise OmgError(problem)
    assert provision is not None
    return provision


@cache
def _resolved_provision(
    text: str, year: int | None, law_column: str
) -> tuple[Provision | None, str | None]:
    """`resolve_provision`'s answer, as (provision, None) or (None, message), computed
    once per written provision, year and law: a file repeats the same few hundred."""
    try:
        written = _parse_provision(text, law_column)
        law = written.law or _infer_law(written.number, year, text)
    except OmgError as error:
        return None, str(error)
    base = f"{law} § {written.number}"
    registry = _provision_table()
    candidates = [f"{base}, stk. {written.subsection}"] if written.subsection else []
    for candidate in [*candidates, base]:
        rows = registry[registry["paragraf"] == candidate]
        if rows.empty:
            continue
        if year is not None and not ((rows["fra_aar"] <= year) & (rows["til_aar"] >= year)).any():
            return None, _provision_not_in_force_message(text, rows, year)
        return Provision(candidate, str(rows["betegnelse"].iat[0]), in_registry=True), None
    first_year = int(aliases()["law_in_force_from"][law])
    if year is not None and year < first_year:
        return None, (
            f"Paragraffen '{text}' gælder ikke i {year}: {_law_title(law)} gælder fra {first_year}"
        )
    return Provision(base, written.subject, in_registry=False), None


@dataclass(frozen=True)
class _WrittenProvision:
    law: str
    number: str
    subsection: str
    subject: str


def _parse_provision(text: str, law_column: str) -> _WrittenProvision:
    """Law (possibly empty), number, stk. and subject of a written provision."""
    parts = [part.strip() for part in _SUBJECT_DASH.split(text.strip())]
    with_section = [part for part in parts if _SECTION.search(part)]
    if len(with_section) != 1:
        raise OmgError(_unknown_provision_message(text))
    written = with_section[0]
    match = _SECTION.search(written)
    assert match is not None
    number = match.group("number") + (match.group("letter") or "").lower()
    subsection = _SUBSECTION.search(match.group("below"))
    before = written[: match.start()].strip()
    after = written[match.end() :].strip(_SUBJECT_PUNCTUATION)
    subject = [part for part in parts if part is not written]
    law = _law(before, text) if before else ""
    if after and _law_names().get(fold(_LAW_PREPOSITION.sub("", after))) and not law:
        law = _law(_LAW_PREPOSITION.sub("", after), text)
    elif after:
        subject.insert(0, after)
    if law_column:
        law = _law_of_column(law, law_column, text)
    return _WrittenProvision(
        law=law,
        number=number,
        subsection=subsection.group(1) if subsection else "",
        subject=" - ".join(subject),
    )


def _law_of_column(law: str, law_column: str, text: str) -> str:
    """The law from a separate law column, which must agree with a law in the text."""
    from_column = _law(law_column, law_column)
    if law and law != from_column:
        raise OmgError(
            f"Paragraffen '{text}' hører til {_law_title(law)}, men lovkolonnen siger "
            f"'{law_column}'"
        )
    return from_column


@cache
def _law_names() -> Mapping[str, str]:
    return MappingProxyType(
        {fold(v): law for law, variants in aliases()["laws"].items() for v in variants}
    )


def _law_title(law: str) -> str:
    """The law's name as a sentence writes it ("serviceloven")."""
    return str(aliases()["laws"][law][1]).lower()


def _law(written: str, text: str) -> str:
    names = _law_names()
    folded = fold(written)
    if folded in names:
        return names[folded]
    known = ", ".join(f"{law} ({_law_title(law)})" for law in sorted(aliases()["laws"]))
    raise OmgError(
        f"Ukendt lov '{written.strip()}' i '{text}' – forventede en af {known}, fx "
        "'Serviceloven § 41 - Merudgifter til børn' eller 'SEL § 41'"
    )


def _infer_law(number: str, year: int | None, text: str) -> str:
    registry = _provision_table()
    rows = registry[registry["nummer"] == number]
    if year is not None:
        rows = rows[(rows["fra_aar"] <= year) & (rows["til_aar"] >= year)]
    laws = sorted(str(law) for law in set(rows["lov"]))
    if len(laws) == 1:
        return laws[0]
    raise OmgError(
        f"Paragraffen '{text}' mangler loven – skriv fx 'SEL § {number}' eller 'BL § {number}', "
        "eller giv loven i en kolonne 'Lovgrundlag'"
    )


def _unknown_provision_message(text: object) -> str:
    known = {fold(p): p for p in _provision_table()["paragraf"]}
    suggestion = closest(str(text), known)
    hint = f"mente du {suggestion}? " if suggestion else ""
    return (
        f"Ukendt paragraf '{text}' – {hint}forventede en paragraf med lov og §, fx "
        "'Serviceloven § 41 - Merudgifter til børn' eller 'SEL § 41, stk. 1'"
    )


def _provision_not_in_force_message(text: object, rows: pd.DataFrame, year: int) -> str:
    successors = sorted(set(rows["efterfoelger"]) - {""})
    first, last = rows["fra_aar"].min(), rows["til_aar"].max()
    period = f"{first}-{last}" if last < 9999 else f"fra {first}"
    hint = f"; fra {last + 1} hedder den {successors[0]}" if successors else ""
    return f"Paragraffen '{text}' gælder ikke i {year} (gælder {period}){hint}"


def provision_label(provision: str) -> str:
    """The registry's description of a canonical provision, or "" when it has none."""
    registry = _provision_table()
    labels = registry.loc[registry["paragraf"] == provision, "betegnelse"]
    return str(labels.iat[-1]) if len(labels) else ""
