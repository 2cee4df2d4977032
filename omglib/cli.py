"""The `omg` command: argument handling only; everything else is library calls.

Every error a user can cause ends as one Danish line on stderr and exit code 2 (the
traceback only with --debug). `omg validate` lists every problem it finds.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from omglib import __version__, demodata, inputs
from omglib.cli_options import (
    PATH,
    area_year_options,
    areas_option,
    batch_options,
    data_option,
    inputs_options,
    map_options,
    mask_cpr_option,
    out_option,
    rates_options,
    report_input_options,
    report_selection_options,
    report_type_options,
)
from omglib.errors import DataError, OmgError
from omglib.figures import key_figures, kommune_table
from omglib.io.readers import CaseTable
from omglib.output import write_text_atomic
from omglib.present import danish, summaries

EXIT_USER_ERROR = 2
EXIT_BATCH_FAILED = 1


#: Click's own messages for wrong usage, in Danish.
_USAGE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Missing option '(.+)'\.", r"mangler tilvalget '\1'"),
    (r"Missing argument '(.+)'\.", r"mangler argumentet '\1'"),
    (r"No such command '(.+)'\.", r"ukendt kommando '\1'"),
    (r"No such option: (\S+)", r"ukendt tilvalg: \1"),
    (r"Option '(.+)' requires an argument\.", r"tilvalget '\1' skal have en værdi"),
    (
        r"Invalid value for '(.+)': '(.*)' is not a valid integer\.",
        r"'\2' er ikke et helt tal (\1)",
    ),
    (r"Invalid value for '(.+)': '(.*)' is not one of (.+)\.", r"'\2' er ikke en af \3 (\1)"),
    (r"Got unexpected extra arguments? \((.+)\)", r"uventede ekstra argumenter: \1"),
)


def danish_usage_message(error: click.ClickException) -> str:
    """Click's message for wrong usage, translated where we know it."""
    message = error.format_message()
    for pattern, danish_text in _USAGE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, danish_text, message)
    return message


class OmgGroup(click.Group):
    """Turns library errors and wrong usage into one Danish line and exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as error:
            click.echo(f"Fejl: {danish_usage_message(error)} – se 'omg --help'", err=True)
            sys.exit(EXIT_USER_ERROR)
        except click.exceptions.Abort:
            click.echo("Afbrudt", err=True)
            sys.exit(EXIT_USER_ERROR)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as error:
            _fail(ctx, error, str(error) if ctx.obj.get("all_problems") else error.one_line())
        except OmgError as error:
            _fail(ctx, error, str(error))
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # an unexpected error: still one line unless --debug
            _fail(ctx, error, f"Uventet fejl ({type(error).__name__}: {error}) – kør med --debug")


def _fail(ctx: click.Context, error: Exception, message: str) -> None:
    if ctx.obj.get("debug"):
        traceback.print_exception(error, file=sys.stderr)
    click.echo(f"Fejl: {message}", err=True)
    ctx.exit(EXIT_USER_ERROR)


@click.group(cls=OmgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Vis hele fejlsporet ved fejl.")
@click.version_option(__version__, prog_name="omg")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """omg – omgørelsesprocenter fra Ankestyrelsen for danske kommuner."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, required=True, type=PATH)
@mask_cpr_option
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], mask_cpr: bool) -> None:
    """Tjek datafiler og vis et resumé eller alle problemer."""
    ctx.obj["all_problems"] = True
    problems: list[str] = []
    for path in paths:
        try:
            click.echo(summaries.describe_file(path, mask_cpr))
        except DataError as error:
            problems.append(str(error))
    if problems:
        click.echo("\n".join(problems), err=True)
        ctx.exit(EXIT_USER_ERROR)


@main.command()
@inputs_options(
    data="Datafil (CSV eller Excel); uden den bruges demodata.",
    volumes="Kommunens egne tal: afgørelser i alt (og klager).",
)
@rates_options
@out_option(help="Skriv til denne fil i stedet for skærmen.")
@mask_cpr_option
@click.option(
    "--alerts",
    "alerts_path",
    type=PATH,
    help="Kommunens varslingsregler (YAML) for de løbende tal fra et sagsregister.",
)
@areas_option
def rates(
    data_path: Path | None,
    volumes_path: Path | None,
    kommune: str,
    area: str,
    year: int,
    output_format: str,
    out: Path | None,
    mask_cpr: bool,
    alerts_path: Path | None,
    areas_path: Path | None,
) -> None:
    """Omgørelsesprocent med interval, landsniveau, test og udvikling; fra et sagsregister,
    der slutter inden årets udgang, også årets løbende tal og en prognose for hele året."""
    inputs.use_areas(areas_path)
    data = inputs.data_or_demo(data_path, mask_cpr)
    volumes = inputs.volumes_or_demo(volumes_path, data_path, mask_cpr)
    if kommune.strip().lower() in {"all", "alle"}:
        text = summaries.render_kommune_table(kommune_table(data, area, year), data, output_format)
    else:
        figures = key_figures(data, kommune, area, year, volumes=volumes)
        register = inputs.dated_register(data_path, mask_cpr)
        until = None if register is None else _part_year_end(register, year)
        text = summaries.render_key_figures(figures, output_format, until)
        text += _running(register, kommune, area, year, alerts_path, output_format)
    if output_format == "csv" and data.provenance.synthetic:
        click.echo(danish.SYNTHETIC_NOTICE, err=True)  # stdout stays a plain table
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_text_atomic(out, text)
        click.echo(f"Skrev {out}")


def _part_year_end(register: CaseTable, year: int) -> dt.date | None:
    from omglib.learning.running import part_year_end  # reads scipy: only for registers

    return part_year_end(register, year)


def _running(
    register: CaseTable | None,
    kommune: str,
    area: str,
    year: int,
    alerts_path: Path | None,
    output_format: str,
) -> str:
    """The running figures of a dated case register that ends inside the year (text
    output only), or why the alert rules cannot be used."""
    if register is None or output_format != "table":
        if alerts_path is not None:
            raise OmgError(
                "--alerts kræver et sagsregister med afgørelsesdatoer som --data og "
                "tabeludskrift (--format table)"
            )
        return ""
    from omglib.learning.runningview import register_running_text

    return register_running_text(register, kommune, area, year, alerts_path)


@main.command("map")
@data_option()
@area_year_options("Område eller paragraf.")
@map_options
@out_option(required=True, help="FIL.png, .svg, .pdf eller .html")
@mask_cpr_option
@areas_option
def map_command(
    data_path: Path | None,
    area: str,
    year: int,
    boundaries: Path | None,
    tiles: bool,
    kind: str,
    base_year: int | None,
    highlight: str | None,
    scheme: str,
    out: Path,
    mask_cpr: bool,
    areas_path: Path | None,
) -> None:
    """Tegn Danmarkskortet for et område og år."""
    from omglib.geo.draw import check_kind, danmarkskort
    from omglib.geo.export import save_map

    inputs.use_areas(areas_path)
    kort = danmarkskort(
        inputs.data_or_demo(data_path, mask_cpr),
        area,
        year,
        boundaries=boundaries,
        kind=check_kind(kind),
        highlight=highlight,
        scheme=scheme,  # type: ignore[arg-type]
        base_year=base_year,
        tiles=tiles,
    )
    click.echo(f"Skrev {save_map(kort, out)}")


@main.command("reports")
@report_type_options
@report_input_options
@report_selection_options
@batch_options
def reports_command(
    params_file: Path | None,
    out: Path,
    jobs: int | None,
    force: bool,
    engine: str,
    scheduler: str | None,
    shared_inputs: bool,
    **options: Any,
) -> None:
    """Lav rapporter (HTML/PDF) for kommuner, områder og år, på denne maskine eller på en
    Dask-klynge (--scheduler). Afslutter med kode 1, hvis en rapport fejlede (de øvrige
    laves stadig)."""
    from omglib.reports.batch import check_executor_options, executor_for, run_batch
    from omglib.reports.parameters import build_request, read_parameter_file

    check_executor_options(jobs, scheduler, shared_inputs)
    chosen = read_parameter_file(params_file) if params_file else {}
    chosen.update(_given_parameters(options))
    source = str(params_file) if params_file else "kommandolinjen"
    mask_cpr = chosen.get("mask_cpr") is True  # any other value is the request's problem
    request = build_request(chosen, source, lambda path: inputs.data_or_demo(path, mask_cpr))
    executor = executor_for(jobs, scheduler, shared_inputs)
    summary = run_batch(request, out, executor, engine=engine, force=force)
    for line in summary.lines():
        click.echo(line, err=bool(summary.failed))
    click.echo(f"Rapporterne ligger i {out.resolve()} (oversigt: {out / 'manifest.json'})")
    if summary.failed:
        sys.exit(EXIT_BATCH_FAILED)


def _given_parameters(options: dict[str, Any]) -> dict[str, Any]:
    """The report parameters given on the command line (keys as in the parameter files)."""
    given = {
        "notebook": options["notebook"],
        "data": options["data_path"],
        "volumes": options["volumes_path"],
        "boundaries": options["boundaries"],
        "cases": options["cases_path"],
        "action_plan": options["action_plan_path"],
        "alerts": options["alerts_path"],
        "areas": options["areas_path"],
        "mask_cpr": options["mask_cpr"],
        "tiles": options["tiles"],
        "recommendation": list(options["recommendation"]) or None,
        "kommune": list(options["kommune"]) or None,
        "area": list(options["area"]) or None,
        "year": list(options["year"]) or None,
        "format": options["formats"],
        "assets": options["assets"],
    }
    return {key: value for key, value in given.items() if value is not None}


@main.command("notebooks")
@click.argument("folder", type=PATH)
@click.option("--force", is_flag=True, help="Overskriv notesbøger, der allerede ligger i mappen.")
def notebooks_command(folder: Path, force: bool) -> None:
    """Kopiér rapportnotesbøgerne (udforsk, kommunerapport, udvalgsbriefing, danmarkskort,
    opfoelgning) til FOLDER, så de kan åbnes i JupyterLab: jupyter lab FOLDER."""
    from omglib.reports.copies import copy_notebooks

    for path in copy_notebooks(folder, overwrite=force):
        click.echo(f"Skrev {path}")
    click.echo(f"Åbn dem i JupyterLab: jupyter lab {folder}")


@main.command("demo-data")
@click.argument("outdir", type=PATH)
def demo_data(outdir: Path) -> None:
    """Skriv demodatafilerne til OUTDIR, så inputformaterne kan ses."""
    for path in demodata.write(outdir):
        click.echo(f"Skrev {path}")


@main.command("handleplan")
@click.argument("path", type=PATH)
@inputs_options(
    data="Datafil til målepunkterne; uden den bruges demodata.",
    volumes="Kommunens egne tal (til målepunkter på modtagne klager).",
)
@mask_cpr_option
@areas_option
@click.pass_context
def handleplan_command(
    ctx: click.Context,
    path: Path,
    data_path: Path | None,
    volumes_path: Path | None,
    mask_cpr: bool,
    areas_path: Path | None,
) -> None:
    """Tjek en handleplan (YAML) og vis den med overskredne handlinger og vurdering af
    målene; alle fejl i filen vises på én gang."""
    from omglib.learning import handleplan, planview
    from omglib.present.narrative import report_date

    ctx.obj["all_problems"] = True
    inputs.use_areas(areas_path)
    plan = handleplan.read_action_plan(path, mask_cpr)
    data = inputs.data_or_demo(data_path, mask_cpr)
    volumes = inputs.volumes_or_demo(volumes_path, data_path, mask_cpr)
    click.echo(planview.plan_text(plan, data, volumes, report_date()))


if __name__ == "__main__":
    main()
