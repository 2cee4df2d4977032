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


_PROVISION = re.compile(
    r"§+\s*(?P<number>\d+\s*[a-zA-Z]?)(?:\s*,?\s*stk\.?\s*(?P<subsection>\d+))?", re.IGNORECASE
)


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


def provision_id(text: object, year: int | None = None) -> str:
    """The canonical provision id ("SEL § 41") for a written provision.

    A provision without its law ("§ 41") is accepted when only one law has that number in
    `year`. Raises OmgError for unknown laws, unknown provisions and provisions that do not
    apply in `year` (naming the successor, e.g. SEL § 41 → BL § 86 from 2024)."""
    provision, problem = _resolved_provision(str(text), None if year is None else int(year))
    if problem is not None:
        raise OmgError(problem)
    assert provision is not None
    return provision


@cache
def _resolved_provision(text: str, year: int | None) -> tuple[str | None, str | None]:
    """`provision_id`'s answer, as (id, None) or (None, message), computed once per
    written provision and year: a file repeats the same few hundred."""
    try:
        candidate = _parse_provision(text, year)
    except OmgError as error:
        return None, str(error)
    registry = provisions()
    rows = registry[registry["paragraf"] == candidate]
    if rows.empty:
        return None, _unknown_provision_message(text)
    if year is not None and not ((rows["fra_aar"] <= year) & (rows["til_aar"] >= year)).any():
        return None, _provision_not_in_force_message(text, rows, year)
    return candidate, None


def _parse_provision(text: str, year: int | None) -> str:
    match = _PROVISION.search(text)
    if match is None:
        raise OmgError(_unknown_provision_message(text))
    number = re.sub(r"\s+", "", match.group("number")).lower()
    subsection = f", stk. {match.group('subsection')}" if match.group("subsection") else ""
    law_text = fold(text[: match.start()] + " " + text[match.end() :])
    law = _law(law_text) if law_text else _infer_law(number, year, text)
    return f"{law} § {number}{subsection}"


@cache
def _law_names() -> dict[str, str]:
    return {fold(v): law for law, variants in aliases()["laws"].items() for v in variants}


def _law(folded: str) -> str:
    names = _law_names()
    if folded in names:
        return names[folded]
    known = ", ".join(sorted(aliases()["laws"]))
    raise OmgError(f"Ukendt lov '{folded}' – forventede en af {known} (fx 'SEL § 41')")


def _infer_law(number: str, year: int | None, text: str) -> str:
    registry = provisions()
    rows = registry[registry["nummer"] == number]
    if year is not None:
        rows = rows[(rows["fra_aar"] <= year) & (rows["til_aar"] >= year)]
    laws = sorted(str(law) for law in set(rows["lov"]))
    if len(laws) == 1:
        return laws[0]
    raise OmgError(
        f"Paragraffen '{text}' mangler loven – skriv fx 'SEL § {number}' eller 'BL § {number}'"
    )


def _unknown_provision_message(text: object) -> str:
    known = {fold(p): p for p in provisions()["paragraf"]}
    suggestion = closest(str(text), known)
    hint = f" – mente du {suggestion}?" if suggestion else ""
    return f"Ukendt paragraf '{text}'{hint} (kendte paragraffer står i omglib/data/paragraffer.csv)"


def _provision_not_in_force_message(text: object, rows: pd.DataFrame, year: int) -> str:
    successors = sorted(set(rows["efterfoelger"]) - {""})
    first, last = rows["fra_aar"].min(), rows["til_aar"].max()
    period = f"{first}-{last}" if last < 9999 else f"fra {first}"
    hint = f"; fra {last + 1} hedder den {successors[0]}" if successors else ""
    return f"Paragraffen '{text}' gælder ikke i {year} (gælder {period}){hint}"


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
