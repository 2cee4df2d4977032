"""The options of the `omg` commands, each declared once as a click decorator.

The options several commands share (--data, --volumes, --area, --year, --boundaries,
--out) take the help text that fits the command; the groups only one command has are
named after what they choose. A group lists its options in the order `--help` shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from omglib.reports.parameters import NOTEBOOKS

F = TypeVar("F", bound=Callable[..., Any])

#: A file or folder on the command line, handed to the command as a `Path`.
PATH = click.Path(path_type=Path)


def stacked(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """The decorators as one, applied as if written in this order above a function."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def path_option(*names: str, **settings: Any) -> Callable[[F], F]:
    """An option naming a file or folder."""
    return click.option(*names, type=PATH, **settings)


def choice_option(*names: str, choices: list[str], **settings: Any) -> Callable[[F], F]:
    """An option taking one of `choices`; the first is the default, and `--help` says so."""
    return click.option(
        *names, type=click.Choice(choices), default=choices[0], show_default=True, **settings
    )


# Options several commands share.

#: --data's help where nothing more needs saying.
DATA_HELP = "Datafil; uden den bruges demodata."


def data_option(help: str = DATA_HELP) -> Callable[[F], F]:
    """--data: the decisions from Ankestyrelsen; without it the demo data."""
    return path_option("--data", "data_path", help=help)


def inputs_options(*, data: str = DATA_HELP, volumes: str) -> Callable[[F], F]:
    """--data and --volumes (the kommune's own numbers), with these help texts."""
    return stacked(data_option(data), path_option("--volumes", "volumes_path", help=volumes))


AREAS_HELP = "Kommunens egne fagområder (YAML): grupper af paragraffer, der kan bruges som --area."


def areas_option(function: F) -> F:
    """--areas: the kommune's own groups of provisions, usable wherever an area is."""
    return path_option("--areas", "areas_path", help=AREAS_HELP)(function)


def area_year_options(area_help: str) -> Callable[[F], F]:
    """--area and --year for one område (or paragraf) and one year, both required."""
    return stacked(
        click.option("--area", required=True, help=area_help),
        click.option("--year", required=True, type=int, help="År."),
    )


def boundaries_option(help: str) -> Callable[[F], F]:
    """--boundaries: the file with the kommune boundaries for the map."""
    return path_option("--boundaries", help=help)


def out_option(**settings: Any) -> Callable[[F], F]:
    """--out: the file or folder the command writes."""
    return path_option("--out", **settings)


#: --mask-cpr's help: it applies to every file the command reads.
MASK_CPR_HELP = (
    "Erstat CPR-numre i filerne med pseudonymer ([CPR 1], [CPR 2], ...) i stedet for at stoppe."
)


def mask_cpr_option(function: F) -> F:
    """--mask-cpr: CPR numbers in any file the command reads become pseudonyms."""
    return click.option("--mask-cpr", is_flag=True, help=MASK_CPR_HELP)(function)


# omg rates


def rates_options(function: F) -> F:
    """Which kommune (or all of them) and how to show the figures."""
    return stacked(
        click.option(
            "--kommune", required=True, help="Kommunekode eller -navn, eller 'all' for alle 98."
        ),
        area_year_options(
            "Område (socialomraadet, boernehandicap, voksenhandicap) eller paragraf."
        ),
        choice_option("--format", "output_format", choices=["table", "csv", "json"]),
    )(function)


# omg map


def map_options(function: F) -> F:
    """How to draw the map: boundaries or tiles, level or change, classes, highlight."""
    return stacked(
        boundaries_option(
            "Grænsefil (GeoJSON, GeoPackage, Shapefile eller zip); ellers OMG_BOUNDARIES "
            "eller de indbyggede kommunegrænser (DAGI)."
        ),
        click.option(
            "--tiles",
            is_flag=True,
            help="Tegn flisekortet (én lige stor flise pr. kommune), også når OMG_BOUNDARIES "
            "er sat.",
        ),
        choice_option(
            "--kind", choices=["level", "change"], help="Niveau eller ændring fra året før."
        ),
        click.option(
            "--base-year", type=int, help="Sammenligningsår for --kind change (standard: året før)."
        ),
        click.option("--highlight", help="Fremhæv én kommune (kode eller navn)."),
        choice_option("--scheme", choices=["fixed", "quantiles", "natural_breaks"]),
    )(function)


# omg reports


def report_type_options(function: F) -> F:
    """A named parameter set and the type of report."""
    return stacked(
        path_option(
            "--params",
            "params_file",
            help="Navngivet parametersæt (YAML, se params/); tilvalg herunder går forud.",
        ),
        click.option(
            "--notebook",
            type=click.Choice(list(NOTEBOOKS)),
            help="Rapporttype (standard: kommunerapport).",
        ),
    )(function)


def report_input_options(function: F) -> F:
    """The input files of the reports, and what to do with CPR numbers in them."""
    return stacked(
        inputs_options(volumes="Kommunens egne tal."),
        boundaries_option(
            "Grænsefil til Danmarkskortet (standard: OMG_BOUNDARIES eller de indbyggede "
            "kommunegrænser)."
        ),
        click.option(
            "--tiles",
            is_flag=True,
            default=None,  # not given: the parameter set decides
            help="Tegn flisekortet (én lige stor flise pr. kommune) i stedet for "
            "kommunegrænserne (kommunerapport, danmarkskort).",
        ),
        path_option(
            "--cases",
            "cases_path",
            help="Sagsfil med årsager og opfølgning (opfoelgning, udvalgsbriefing).",
        ),
        path_option(
            "--action-plan",
            "action_plan_path",
            help="Kommunens handleplan (YAML) (opfoelgning, udvalgsbriefing).",
        ),
        path_option("--areas", "areas_path", help=AREAS_HELP),
        path_option(
            "--alerts",
            "alerts_path",
            help="Kommunens varslingsregler (YAML) for de løbende tal i sagsfilen; et "
            "varsel, der udløses, står øverst i rapporten (opfoelgning, udvalgsbriefing).",
        ),
        click.option(
            "--mask-cpr",
            is_flag=True,
            default=None,  # not given: the parameter set decides
            help=f"{MASK_CPR_HELP} Gælder alle inddata: --data, --volumes, --cases og "
            "--action-plan.",
        ),
    )(function)


def report_selection_options(function: F) -> F:
    """Which kommuner, områder and years, and in which formats."""
    return stacked(
        click.option(
            "--kommune",
            multiple=True,
            help="Kommuner (navn eller kode, kommasepareret) eller 'all'.",
        ),
        click.option("--area", multiple=True, help="Områder eller paragraffer, eller 'all'."),
        click.option("--year", multiple=True, help="År, eller 'all'."),
        click.option("--format", "formats", help="html, pdf eller html,pdf (standard: html)."),
        click.option(
            "--assets",
            type=click.Choice(["inline", "shared"]),
            help="inline (standard): hver rapport er én fil med alt; shared: Vega-JavaScript "
            "og kortets kommuneformer skrives én gang i mappen _omg og deles af rapporterne.",
        ),
        click.option(
            "--recommendation",
            multiple=True,
            metavar="OMRÅDE=SVAR",
            help="Udvalgsbriefing: forvaltningens egen indstilling for et område "
            "(handleplan eller ingen) i stedet for reglens, fx voksenhandicap=handleplan.",
        ),
    )(function)


def batch_options(function: F) -> F:
    """Where the reports go and what makes them: processes here or a Dask cluster."""
    return stacked(
        out_option(default=Path("outputs"), show_default=True),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            help="Parallelle processer (standard: alle kerner).",
        ),
        click.option("--force", is_flag=True, help="Lav også rapporter, hvis inddata er uændrede."),
        choice_option(
            "--engine",
            choices=["warm", "papermill"],
            help="warm: én kerne pr. proces genbruges; papermill: ny kerne pr. rapport.",
        ),
        click.option(
            "--scheduler",
            metavar="tcp://VÆRT:PORT",
            help="Send rapporterne til workerne bag en kørende Dask-scheduler i stedet for at "
            "lave dem på denne maskine.",
        ),
        click.option(
            "--shared-inputs",
            is_flag=True,
            help="Med --scheduler: workerne læser inddata fra de samme stier (et delt drev) i "
            "stedet for at få filerne sendt.",
        ),
    )(function)
