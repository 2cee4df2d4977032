"""The framing every report shares: its inputs, title, first-screen notices and the
footer that says which data, parameters and package versions made it.

Notebooks call these so that a report cell reads like a sentence of the report; the
wording lives here once, tested, not copied into each notebook.
"""

from __future__ import annotations

import datetime
import functools
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

import pandas as pd

from omglib import comparisons, inputs, registry
from omglib.dataset import Dataset, Volumes
from omglib.io.readers import CaseTable
from omglib.present import danish, sentences
from omglib.present.display import Html, Markdown, table_html
from omglib.present.html import render

#: Packages whose versions each report states (the ones that shape its numbers and figures).
REPORTED_PACKAGES = (
    "omglib",
    "pandas",
    "numpy",
    "scipy",
    "altair",
    "vl-convert-python",
    "geopandas",
    "shapely",
)


def load_inputs(
    data_file: str | Path = "",
    volumes_file: str | Path = "",
    mask_cpr: bool = False,
    areas_file: str | Path = "",
) -> tuple[Dataset, Volumes | None]:
    """The report's data and kommune volumes: the files named, or the packaged demo data
    when no data file is named (volumes then too; with a data file, volumes only when
    named). `mask_cpr`: CPR numbers in them become pseudonyms instead of an error.
    `areas_file`: the kommune's own groups of provisions, put in use as areas."""
    inputs.use_areas(areas_file)
    return (
        inputs.data_or_demo(data_file, mask_cpr),
        inputs.volumes_or_demo(volumes_file, data_file, mask_cpr),
    )


def title(heading: str, data: Dataset) -> Markdown:
    """The report's `#` heading, with the synthetic-data notice right under it when the
    data are the demo data (so it is on the first screen)."""
    return Markdown("\n\n".join(part for part in (f"# {heading}", notice(data)) if part))


def notice(data: Dataset) -> Markdown:
    """The synthetic-data notice when the data are the demo data, else nothing."""
    if not data.provenance.synthetic:
        return Markdown("")
    return Markdown(render("notice.html.j2", notice=danish.SYNTHETIC_NOTICE))


def kommune_report_heading(kommune: int | str, area: str, year: int) -> str:
    """ "Omgørelser 2024: børnehandicap – Norddjurs Kommune"."""
    code = registry.kommune_code(kommune)
    area_text = registry.area_text(registry.resolve_area(area))
    return f"Omgørelser {year}: {area_text} – {registry.kommune_name(code)} Kommune"


def report_date() -> datetime.date:
    """Today, or the date of `SOURCE_DATE_EPOCH` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


def package_versions() -> dict[str, str]:
    """Python's and the reported packages' versions."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> dict[str, str]:
    """Read once per process: what is installed does not change under a running report."""
    found = {"Python": platform.python_version()}
    for package in REPORTED_PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "ikke installeret"
    return found


def footer(
    data: Dataset,
    parameters: dict[str, Any],
    volumes: Volumes | None = None,
    cases: CaseTable | None = None,
) -> Html:
    """Where the report's numbers come from: each data file (the case file too, when the
    report reads one) with the date of its extract (or that the file does not state it)
    and its SHA-256, parameters, package versions and the date the report was made."""
    read = [data.provenance] + ([volumes.provenance] if volumes is not None else [])
    if cases is not None and cases.provenance.sha256 not in {r.sha256 for r in read}:
        read.append(cases.provenance)
    return Html(
        render(
            "footer.html.j2",
            sources=[
                (source.file, danish.extract_date_text(source.extract_date), source.sha256)
                for source in read
            ],
            parameters=[
                parameter_text(str(name), value)
                for name, value in parameters.items()
                if not str(name).endswith("_file")
            ],
            date=danish.format_date(report_date()),
            versions=list(package_versions().items()),
        )
    )


PARAMETER_LABELS: Final[dict[str, str]] = {
    "kommune": "kommune",
    "area": "område",
    "areas": "områder",
    "year": "år",
    "mask_cpr": "CPR-numre erstattet af pseudonymer",
    "recommendations": "forvaltningens egen indstilling",
}
"""How the footer names a report's parameters (the data files are named by the source
line above them)."""


def parameter_text(name: str, value: Any) -> tuple[str, str]:
    """A parameter as the footer shows it: ("kommune", "707 Norddjurs"), ("område",
    "Børnehandicapområdet"), ("CPR-numre erstattet af pseudonymer", "nej")."""
    label = PARAMETER_LABELS.get(name, name)
    if name == "kommune":
        code = registry.kommune_code(value)
        return label, f"{code} {registry.kommune_name(code)}"
    if name == "area":
        return label, _area_with_provisions(value)
    if name == "areas":
        return label, ", ".join(_area_with_provisions(area) for area in value)
    if isinstance(value, bool):
        return label, "ja" if value else "nej"
    if isinstance(value, dict):
        given = "; ".join(f"{area_title(k)}: {v}" for k, v in value.items())
        return label, given or "ikke angivet (reglen afgør)"
    return label, str(value)


def rates_table(frame: pd.DataFrame, label: str, label_title: str, caption: str) -> Html:
    """Rows of rates as a report table: the row's name, the omgørelsesprocent with its
    counts, and the 95 % interval (a rate is never shown without its counts)."""
    shown = pd.DataFrame(
        {
            label_title: frame[label].astype(str),
            "Omgørelsesprocent": [danish.format_pct(r) for r in frame["omgoerelsesprocent"]],
            "Omgjorte sager": [
                danish.format_counts(int(k), int(n))
                for k, n in zip(frame["omgjort"], frame["realitetsbehandlede"], strict=True)
            ],
            "95 %-interval": [
                danish.format_interval(lo, hi)
                for lo, hi in zip(frame["omgoerelse_nedre"], frame["omgoerelse_oevre"], strict=True)
            ],
        }
    )
    return table_html(shown, caption)


def national_heading(area: str, year: int) -> str:
    """ "Danmarkskort: omgørelser på børnehandicapområdet 2024"."""
    area_text = registry.area_text(registry.resolve_area(area))
    return f"Danmarkskort: omgørelser, {area_text} {year}"


def briefing_heading(kommune: int | str, year: int) -> str:
    """ "Udvalgsbriefing: omgørelser i Ankestyrelsen 2024 – Norddjurs Kommune"."""
    code = registry.kommune_code(kommune)
    return f"Udvalgsbriefing: omgørelser i Ankestyrelsen {year} – {registry.kommune_name(code)} Kommune"


def area_title(area: str) -> str:
    """An area's section heading: "Børnehandicapområdet" or "SEL § 41"."""
    return registry.area_name(registry.resolve_area(area))


def _area_with_provisions(area: str) -> str:
    """An area as the footer names it; a kommune's own group with its provisions, which
    its figures depend on."""
    group = registry.area_group(registry.resolve_area(area))
    if group is None:
        return area_title(area)
    members = [
        member.provision
        + (
            f" ({member.first_year or ''}-{member.last_year or ''})"
            if member.first_year or member.last_year
            else ""
        )
        for member in group.members
    ]
    return f"{group.name} (eget fagområde: {danish.listed(members, 'og')})"


def peer_group_note(kommune: int | str) -> Markdown:
    """How the peer group is chosen, and which kommuner it holds."""
    names = danish.listed(comparisons.peer_group_names(kommune), "og")
    return Markdown(f"{sentences.PEER_GROUP_EXPLANATION} De er {names}.")
