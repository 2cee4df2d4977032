"""The domain's reference data: the 98 kommuner, the areas and their provisions per year.

All of it is read from data files in `omglib/data/` (each notes its source), so a new
alias, a renamed kommune or a provision moving between laws is a data change, not a code
change. Lookups fold spelling (see `names.fold`) and answer unknown names with a
"mente du ...?" suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from omglib.errors import OmgError
from omglib.names import closest, fold

SOCIAL_AREA = "socialomraadet"


def _data_file(name: str) -> Any:
    return resources.files("omglib").joinpath("data", name)


@cache
def aliases() -> dict[str, Any]:
    """The alias file: header variants, outcome labels, national-row labels, law names."""
    with _data_file("aliaser.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


# --- kommuner -------------------------------------------------------------------------


@cache
def _kommune_file() -> pd.DataFrame:
    with _data_file("kommuner.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"aliaser": str}, keep_default_na=False)


@cache
def kommuner() -> pd.DataFrame:
    """The 98 kommuner: `kommunekode`, `kommunenavn`, `regionskode`, `region`,
    `indbyggere_ca` (approximate, rounded to thousands: scales the synthetic demo data and
    picks the peer group in `comparisons.peer_group`)."""
    return (
        _kommune_file()
        .rename(
            columns={"kode": "kommunekode", "navn": "kommunenavn", "region_kode": "regionskode"}
        )
        .drop(columns="aliaser")
    )


@cache
def _kommune_names() -> dict[str, int]:
    """Folded name or alias → kommunekode."""
    table = _kommune_file()
    lookup: dict[str, int] = {}
    for code, name, extra in zip(table["kode"], table["navn"], table["aliaser"], strict=True):
        for variant in [name, *filter(None, extra.split("|"))]:
            lookup[fold(variant)] = int(code)
    return lookup


@cache
def _national_labels() -> frozenset[str]:
    return frozenset(fold(label) for label in aliases()["national"])


_KOMMUNE_SUFFIXES = ("regionskommune", "kommune")
_CODE = re.compile(r"^\s*0*(\d{1,3})(?:\.0+)?\s*$")


def is_national(value: object) -> bool:
    """Whether a kommune cell names the whole country ("Hele landet")."""
    return fold(value) in _national_labels()


@cache
def _not_kommune_labels() -> dict[str, str]:
    """Folded instance names that are not kommuner → their kind (regioner, faellesskaber,
    i_alt)."""
    return {
        fold(label): kind for kind, labels in aliases()["not_kommuner"].items() for label in labels
    }


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
def _kommune_by_code() -> dict[int, str]:
    table = kommuner()
    return dict(zip(table["kommunekode"], table["kommunenavn"], strict=True))


def kommune_name(code: int) -> str:
    """The kommune's official short name ("Aarhus" for 751)."""
    return _kommune_by_code()[int(code)]


def all_kommune_codes() -> list[int]:
    """The 98 kommunekoder in ascending order."""
    return sorted(_kommune_by_code())


# --- areas and provisions ---------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area as omglib reports it: an id, its Danish name and whether it is all provisions."""

    id: str
    name: str
    short_name: str
    description: str
    all_provisions: bool


@cache
def _area_file() -> dict[str, dict[str, Any]]:
    with _data_file("omraader.yaml").open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return raw


@cache
def areas() -> dict[str, Area]:
    """The areas by id (socialomraadet, boernehandicap, voksenhandicap)."""
    return {
        area_id: Area(
            id=area_id,
            name=spec["navn"],
            short_name=spec["kort"],
            description=spec["beskrivelse"],
            all_provisions=bool(spec["alle_paragraffer"]),
        )
        for area_id, spec in _area_file().items()
    }


@cache
def _area_names() -> dict[str, str]:
    lookup = {}
    for area_id, spec in _area_file().items():
        for variant in [area_id, spec["navn"], spec["kort"], *spec["aliaser"]]:
            lookup[fold(variant)] = area_id
    return lookup


@cache
def provisions() -> pd.DataFrame:
    """The provision registry (see `data/paragraffer.md`): one row per provision and
    validity period, with the handicap area it belongs to, if any."""
    with _data_file("paragraffer.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(
            handle, dtype=str, keep_default_na=False, skipinitialspace=True, comment=None
        )
    table["fra_aar"] = table["fra_aar"].astype(int)
    table["til_aar"] = pd.to_numeric(table["til_aar"].replace("", "9999")).astype(int)
    return table


def area_id(value: object) -> str | None:
    """The area id for a written area name ("Børnehandicapområdet"), or None."""
    return _area_names().get(fold(value))


def resolve_area(value: object) -> str:
    """An area id ("boernehandicap") or a canonical provision ("SEL § 41") from what a
    user typed ("Børnehandicapområdet", "serviceloven § 41")."""
    area = area_id(value)
    if area is not None:
        return area
    if "§" in str(value):
        return provision_id(value)
    known = ", ".join(areas())
    raise OmgError(
        f"Ukendt område '{value}' – forventede et af {known} eller en paragraf som 'SEL § 41'"
    )


def area_name(area: str) -> str:
    """The Danish display name of an area id or provision."""
    return areas()[area].name if area in areas() else area


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
    registry = provisions()
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


_SUBJECT_DASH = re.compile(r"\s+[-–—]\s+")
_SECTION = re.compile(
    r"§+\s*(?P<number>\d+)(?:\s*(?P<letter>[a-zæøå])(?![a-zæøå])(?!\s+[a-zæøå]{2}))?"
    r"(?P<below>(?:\s*,?\s*(?:stk|nr|litra)\.?\s*\d+\s*[a-z]?(?![a-zæøå]))*)",
    re.IGNORECASE,
)
_SUBSECTION = re.compile(r"stk\.?\s*(\d+)", re.IGNORECASE)
_LAW_PREPOSITION = re.compile(r"^\s*(?:i|efter|jf\.?)\s+", re.IGNORECASE)
_SUBJECT_PUNCTUATION = " -–—:;,.()"


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
def _law_names() -> dict[str, str]:
    return {fold(v): law for law, variants in aliases()["laws"].items() for v in variants}


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
    registry = provisions()
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
    known = {fold(p): p for p in provisions()["paragraf"]}
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
    registry = provisions()
    labels = registry.loc[registry["paragraf"] == provision, "betegnelse"]
    return str(labels.iat[-1]) if len(labels) else ""


def provisions_in_area(area: str, year: int) -> list[str]:
    """The provisions that make up a handicap area in `year` (empty for socialomraadet,
    which is every provision)."""
    registry = provisions()
    in_force = (registry["fra_aar"] <= year) & (registry["til_aar"] >= year)
    return sorted(registry.loc[in_force & (registry["omraade"] == area), "paragraf"])


def handicap_area(provision: str, year: int) -> str | None:
    """The handicap area a provision belongs to in `year`, or None (socialområdet only)."""
    registry = provisions()
    row = registry[
        (registry["paragraf"] == provision)
        & (registry["fra_aar"] <= year)
        & (registry["til_aar"] >= year)
    ]
    areas_found = sorted(set(row["omraade"]) - {""})
    return areas_found[0] if areas_found else None


# --- learning loop: reasons for overturning, follow-up after a remand --------------------


@cache
def _learning_lists() -> dict[str, dict[str, list[str] | None]]:
    with _data_file("laering.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, list[str] | None]] = yaml.safe_load(handle)
    return loaded


def _label_lookup(entries: dict[str, list[str] | None]) -> dict[str, str]:
    """Folded spellings to labels."""
    return {
        fold(variant): label
        for label, variants in entries.items()
        for variant in [label, *(variants or [])]
    }


@cache
def reasons(extra_file: str = "") -> dict[str, str]:
    """Reasons for overturning (folded spelling → label): the coded list in
    `data/laering.yaml`, plus a kommune's own reasons from `extra_file` (same format)."""
    entries = dict(_learning_lists()["aarsager"])
    if extra_file:
        entries.update(_extra_reasons(extra_file))
    return _label_lookup(entries)


def _extra_reasons(path: str) -> dict[str, list[str] | None]:
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = yaml.safe_load(handle)
    except OSError as error:
        raise OmgError(f"Kan ikke læse årsagslisten {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise OmgError(f"Årsagslisten {path} er ikke gyldig YAML: {error}") from error
    entries = loaded.get("aarsager") if isinstance(loaded, dict) else None
    if not isinstance(entries, dict) or not all(
        isinstance(label, str) and (variants is None or isinstance(variants, list))
        for label, variants in entries.items()
    ):
        raise OmgError(
            f"Årsagslisten {path}: forventede 'aarsager:' med én linje pr. årsag, "
            "fx 'Manglende lægeerklæring: [Lægeerklæring]'"
        )
    return entries


def follow_ups() -> dict[str, str]:
    """What happened after a remand (folded spelling → label), in reporting order."""
    return _label_lookup(_learning_lists()["opfoelgning"])


def follow_up_labels() -> list[str]:
    return list(_learning_lists()["opfoelgning"])


def unknown_label_message(value: str, lookup: dict[str, str], what: str) -> str:
    """ "ukendt årsag 'x' – mente du ...? Forventede ..." for a coded list."""
    labels = list(dict.fromkeys(lookup.values()))
    guess = closest(value, lookup)
    hint = f" – mente du '{guess}'?" if guess else ""
    return f"ukendt {what} '{value}'{hint} Forventede en af: {', '.join(labels)}"
