"""Plain-text and machine-readable renderings for the command line, in Danish."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from omglib import registry, stats
from omglib.dataset import Dataset, is_marked_synthetic
from omglib.figures import KeyFigures
from omglib.io.readers import read_cases, read_data, read_volumes
from omglib.io.sources import read_source
from omglib.present import danish, sentences

#: The key (JSON) and column (CSV) that carry the synthetic-data notice in output made
#: from demo data.
NOTICE_COLUMN = "bemaerkning"


def describe_file(path: Path, mask_cpr: bool = False) -> str:
    """A validated file's summary: kind, rows, kommuner, years, areas, the extract date
    it states and notes.

    Raises DataError with every problem when the file is not valid (a CPR number is one
    unless `mask_cpr`)."""
    source = read_source(path)
    columns = set(source.frame.columns)
    if "udfald" in columns:
        cases = read_cases(path, mask_cpr=mask_cpr)
        frame, kind, notes = cases.partial_decisions, "delafgørelser (sagsniveau)", cases.notes
        extra = [f"sager: {danish.format_int(frame['sag_id'].nunique())}"]
    elif "afgoerelser_i_alt" in columns:
        volumes = read_volumes(path, mask_cpr)
        frame, kind, notes, extra = volumes.frame, "kommunens egne tal (volumen)", (), []
    else:
        data = read_data(path, mask_cpr=mask_cpr)
        frame, kind, notes = data.counts, "optællinger pr. kommune", data.notes
        extra = [f"rækker for 'Hele landet': {danish.format_int(len(data.national))}"]
    lines = [
        f"{path.name}: OK – {kind}",
        f"  rækker: {danish.format_int(len(source.frame))}",
        f"  kommuner: {frame['kommunekode'].nunique()}",
        f"  år: {_years(frame)}",
        *(f"  {line}" for line in extra),
    ]
    if "omraade" in frame.columns:
        lines.append(
            f"  områder: {', '.join(registry.area_name(a) for a in sorted(frame['omraade'].unique()))}"
        )
    lines.append(f"  {danish.extract_date_text(source.vintage.date)}")
    if is_marked_synthetic(source.title):
        lines.append(f"  {danish.SYNTHETIC_NOTICE}")
    lines += [f"  note: {note}" for note in notes]
    return "\n".join(lines)


def _years(frame: pd.DataFrame) -> str:
    years = sorted(frame["aar"].unique())
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def render_key_figures(
    figures: KeyFigures, output_format: str, until: dt.date | None = None
) -> str:
    """`omg rates` output for one kommune as table, csv or json. `until`: the data end on
    that day of `figures.year` (a register that ends mid-year), so the year's figures
    are the year so far, and each output says so."""
    if output_format == "json":
        record = {
            **sentences.key_figures_record(figures),
            **(_part_year_record(figures, until) if until is not None else {}),
            NOTICE_COLUMN: danish.SYNTHETIC_NOTICE if figures.synthetic else None,
        }
        return json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"
    if output_format == "csv":
        trend = figures.trend.assign(
            kommunekode=figures.kommunekode, kommune=figures.kommune, omraade=figures.area
        )
        if until is not None:
            last = trend["aar"] == figures.year
            trend = trend.assign(til_og_med=[until.isoformat() if x else "" for x in last])
        return _csv(trend, figures.synthetic)
    return _key_figures_text(figures, until)


def _part_year_record(figures: KeyFigures, until: dt.date) -> dict[str, object]:
    """The JSON's own fields for a year that is not over: where it ends, and no change
    from the year before (a part against a whole year says nothing)."""
    unfinished = f"{figures.year} er ikke slut (til og med {danish.format_date(until)})"
    change = {
        "p_vaerdi": None,
        "retning": "none",
        "vurdering": f"kan ikke sammenlignes: {unfinished}",
    }
    return {"til_og_med": until.isoformat(), "aendring_fra_aaret_foer": change}


def _csv(frame: pd.DataFrame, synthetic: bool) -> str:
    """CSV text, a plain table any CSV reader takes; from synthetic data every row
    starts with the notice in the column `bemaerkning` (as the JSON's key), so the file
    says so wherever it goes. The command says it on stderr too."""
    if synthetic:
        frame = frame.copy()
        frame.insert(0, NOTICE_COLUMN, danish.SYNTHETIC_NOTICE)
    return frame.to_csv(index=False, lineterminator="\n")


def _key_figures_text(figures: KeyFigures, until: dt.date | None) -> str:
    row = figures.current
    so_far = "" if until is None else f" til og med {danish.format_date(until)}"
    lines = [
        f"{figures.kommune} ({figures.kommunekode}) – {registry.area_name(figures.area)} "
        f"{figures.year}{so_far}"
    ]
    if figures.synthetic:
        lines.append(danish.SYNTHETIC_NOTICE)
    lines.append(f"Kilde: {figures.source}, {danish.extract_date_text(figures.extract_date)}")
    if figures.series_note:
        lines.append(sentences.series_sentence(figures))
    if figures.provisions_without_cases:
        lines.append(sentences.without_cases_sentence(figures))
    lines += [
        "",
        f"{'Realitetsbehandlede sager':<28}{danish.format_int(row['realitetsbehandlede']):>8}",
        f"{'Omgjort':<28}{danish.format_int(row['omgjort']):>8}  {danish.format_pct(row['omgoerelsesprocent']):>8}"
        f"  (95 %-interval {danish.interval_text(row)})",
        f"{'  heraf hjemvist':<28}{danish.format_int(row['hjemvist']):>8}  {danish.format_pct(row['hjemvisningsprocent']):>8}",
        f"{'  heraf ændret/ophævet':<28}{danish.format_int(row['aendret_ophaevet']):>8}  "
        f"{danish.format_pct(row['aendrings_ophaevelsesprocent']):>8}",
        f"{'Stadfæstet':<28}{danish.format_int(row['stadfaestet']):>8}  {danish.format_pct(row['stadfaestelsesprocent']):>8}",
    ]
    if "afvist" in row.index:
        lines.append(f"{'Afvist/henvist (indgår ikke)':<28}{danish.format_int(row['afvist']):>8}")
    if figures.few_cases:
        lines.append(
            f"Bemærk: under {danish.format_int(stats.DEFAULT_MIN_CASES)} sager – tolk tallet varsomt."
        )
    lines.append("")
    if figures.national is not None:
        lines.append(
            f"Landsniveau: {danish.format_pct(figures.national['omgoerelsesprocent'])} "
            f"({figures.national_note.removeprefix('Landstal: ').rstrip('.')})"
        )
        lines.append(
            f"Vurdering: {danish.verdict_text(figures.comparison)} (p = {danish.format_p(figures.comparison.p_value)})"
        )
    else:
        lines.append(figures.national_note)
    lines += ["", "Udvikling:", _trend_text(figures.trend, figures.year if until else None)]
    if until is not None:
        lines.append(f"* {figures.year} til og med {danish.format_date(until)}: året er ikke slut.")
    lines.append(f"Vurdering af udviklingen: {danish.verdict_text(figures.trend_test)}")
    if figures.change is not None and until is not None:
        lines.append(
            f"Fra {figures.year - 1} til {figures.year}: sammenlign med samme periode af "
            f"{figures.year - 1} under Løbende tal, da {figures.year} ikke er slut."
        )
    elif figures.change is not None:
        lines.append(
            f"Fra {figures.year - 1} til {figures.year}: {danish.verdict_text(figures.change)}"
        )
    if figures.volumes is not None:
        lines += ["", *sentences.volume_lines(figures)]
    return "\n".join(lines) + "\n"


def _trend_text(trend: pd.DataFrame, part_year: int | None = None) -> str:
    """The trend as a text table; `part_year` is marked with a star (not a whole year)."""
    header = f"{'År':<6}{'Sager':>7}{'Omgjort':>9}{'Procent':>10}  {'95 %-interval':<17}{'Landsniveau':>12}"
    rows = [
        f"{_year_label(int(r['aar']), part_year):<6}{danish.format_int(r['realitetsbehandlede']):>7}"
        f"{danish.format_int(r['omgjort']):>9}{danish.format_pct(r['omgoerelsesprocent']):>10}  "
        f"{danish.interval_text(r):<17}{danish.format_pct(r['landsniveau']):>12}"
        for _, r in trend.iterrows()
    ]
    return "\n".join([header, *rows])


def _year_label(year: int, part_year: int | None) -> str:
    return f"{year}*" if year == part_year else str(year)


def render_kommune_table(table: pd.DataFrame, data: Dataset, output_format: str) -> str:
    """`omg rates --kommune all` as table, csv or json (verdicts worded in Danish, as
    in the one kommune's JSON)."""
    synthetic = data.provenance.synthetic
    worded = table.assign(vurdering=danish.verdict_phrases(table["vurdering"]))
    if output_format == "csv":
        return _csv(worded, synthetic)
    if output_format == "json":
        document = {
            "kilde": f"{data.provenance.file} (sha256 {data.provenance.sha256})",
            "udtraeksdato": sentences.iso_date(data.provenance.extract_date),
            "syntetiske_data": synthetic,
            NOTICE_COLUMN: danish.SYNTHETIC_NOTICE if synthetic else None,
            "kommuner": json.loads(worded.to_json(orient="records", force_ascii=False)),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    lines = []
    if data.provenance.synthetic:
        lines.append(danish.SYNTHETIC_NOTICE)
    lines.append(
        f"{'Kode':<6}{'Kommune':<20}{'Sager':>7}{'Omgjort':>9}{'Procent':>10}  {'95 %-interval':<17}Vurdering"
    )
    for _, r in table.iterrows():
        lines.append(
            f"{int(r['kommunekode']):<6}{r['kommune']:<20}{danish.format_int(r['realitetsbehandlede']):>7}"
            f"{danish.format_int(r['omgjort']):>9}{danish.format_pct(r['omgoerelsesprocent']):>10}  "
            f"{danish.interval_text(r):<17}{danish.verdict_phrase(r['vurdering'])}"
        )
    return "\n".join(lines) + "\n"
