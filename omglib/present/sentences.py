"""The sentences of a kommune report built from the core's values: the headline, the
kommune's own totals, its rank, its case count against the year before and the spread of
rates across kommuner.

The core (`figures`, `comparisons`) returns numbers and verdicts; this module words them
in Danish, so wording changes in one place and the numbers can be tested on their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np
import pandas as pd

from omglib import comparisons, registry, stats
from omglib.comparisons import CaseCountChange, Rank, RateSpread
from omglib.figures import KeyFigures
from omglib.present import danish
from omglib.present.display import Markdown

PEER_GROUP_EXPLANATION: Final = (
    f"Sammenlignelige kommuner er de {comparisons.PEER_GROUP_SIZE} kommuner, hvis indbyggertal ligger "
    "nærmest kommunens eget, målt på forholdet mellem indbyggertallene (20.000 og 40.000 "
    "ligger lige så langt fra hinanden som 50.000 og 100.000). Kommuner af samme størrelse "
    "har typisk et lignende antal sager og en lignende organisering; kommunens region vises "
    "for sig."
)
"""How the peer group is chosen, for the report (see `comparisons.peer_group`)."""


def headline(key: KeyFigures) -> Markdown:
    """The report's first sentence as Markdown, with counts and interval (the
    synthetic-data notice is the title's job: `narrative.title`)."""
    row = key.current
    lines = [
        f"**Omgørelsesprocent {danish.format_pct(row['omgoerelsesprocent'])}** "
        f"({danish.format_counts(int(row['omgjort']), int(row['realitetsbehandlede']))} "
        f"omgjort; 95 %-interval {danish.interval_text(row)}) – {key.kommune}, "
        f"{registry.area_text(key.area)} {key.year}."
    ]
    if key.national is not None:
        lines.append(danish.national_comparison(key.comparison, key.national["omgoerelsesprocent"]))
    else:
        lines.append(key.national_note)
    if key.few_cases:
        lines.append(f"Bemærk: tallet hviler på under {stats.DEFAULT_MIN_CASES} sager.")
    if key.series_note:
        lines.append(series_sentence(key))
    if key.provisions_without_cases:
        lines.append(without_cases_sentence(key))
    return Markdown("  \n".join(lines))


def without_cases_sentence(key: KeyFigures) -> str:
    """The warning that some of a group's provisions have no cases in the data file."""
    listed = danish.listed(list(key.provisions_without_cases), "og")
    return (
        f"Bemærk: {listed} har ingen sager i datafilen i noget år – tjek, at paragraffen er "
        "skrevet rigtigt i filen med egne fagområder."
    )


def series_sentence(key: KeyFigures) -> str:
    """ "Tallene følger paragraffen over lovskiftet (fra 2024: BL § 86)." """
    which = "paragrafferne" if registry.area_group(key.area) else "paragraffen"
    return f"Tallene følger {which} over lovskiftet ({key.series_note})."


def volume_lines(key: KeyFigures) -> list[str]:
    """The kommune's own totals as sentences: its decisions, the share of them that
    Ankestyrelsen treated on their merits (the rejected appeals stated apart), the share
    of all decisions overturned, and the complaints received with the change from the
    year before (empty without volumes)."""
    volumes = key.volumes
    if volumes is None:
        return []
    decisions = int(volumes["afgoerelser_i_alt"])
    lines = [
        f"Kommunens afgørelser i alt: {danish.format_int(decisions)}",
        "Andel af kommunens afgørelser, som Ankestyrelsen realitetsbehandlede: "
        f"{danish.format_pct(volumes['andel_realitetsbehandlet'])} "
        f"({_of_decisions(int(volumes['realitetsbehandlede']), decisions)})"
        + _rejected(volumes["afviste"]),
        "Andel af kommunens afgørelser, der blev omgjort: "
        f"{danish.format_pct(volumes['andel_omgjort_af_alle'])} "
        f"({_of_decisions(int(volumes['omgjort']), decisions)})",
    ]
    if "klager_modtaget" in volumes.index:
        lines.append(
            "Klager modtaget i kommunen: "
            + complaints_change(
                int(volumes["klager_modtaget"]), volumes["klager_modtaget_aaret_foer"], key.year
            )
        )
    return lines


def _of_decisions(part: int, decisions: int) -> str:
    return (
        f"{danish.format_int(part)} af {danish.format_count(decisions, 'afgørelse', 'afgørelser')}"
    )


def _rejected(rejected: int | None) -> str:
    """ "; 3 klager blev afvist og indgår ikke i omgørelsesprocenten" (nothing when the
    data has no afviste)."""
    if rejected is None:
        return ""
    rejected_text = danish.format_count_or_none(rejected, "klage", "klager")
    return f"; {rejected_text} blev afvist og indgår ikke i omgørelsesprocenten"


def complaints_change(now: int, before: int | None, year: int) -> str:
    """ "8 klager i 2022 mod 15 i 2021 (-47 %)"; without the year before "8 klager i 2022"."""
    text = f"{danish.format_count(now, 'klage', 'klager')} i {year}"
    if before is None:
        return text
    change = danish.format_change_pct(before, now)
    return f"{text} mod {danish.format_int(before)} i {year - 1} ({change})"


def key_figures_record(key: KeyFigures) -> dict[str, Any]:
    """The key figures as plain values for JSON output, verdicts worded in Danish."""
    return {
        "kommunekode": key.kommunekode,
        "kommune": key.kommune,
        "omraade": key.area,
        "aar": key.year,
        "tal": _plain(key.current),
        "landstal": None if key.national is None else _plain(key.national),
        "landstal_grundlag": key.national_note,
        "sammenligning_med_landsniveau": _result(key.comparison),
        "udvikling": [_plain(row) for _, row in key.trend.astype(object).iterrows()],
        "udviklingstest": _result(key.trend_test),
        "aendring_fra_aaret_foer": None if key.change is None else _result(key.change),
        "volumen": None if key.volumes is None else _plain(key.volumes),
        "faa_sager": key.few_cases,
        "syntetiske_data": key.synthetic,
        "kilde": key.source,
        "paragrafskift": key.series_note or None,
        "paragraffer_uden_sager": list(key.provisions_without_cases),
        "udtraeksdato": iso_date(key.extract_date),
    }


def iso_date(date: dt.date | None) -> str | None:
    """A date for JSON output (None stays null)."""
    return None if date is None else date.isoformat()


def _plain(row: pd.Series) -> dict[str, Any]:
    return {
        str(k): (None if pd.isna(v) else v.item() if hasattr(v, "item") else v)
        for k, v in row.items()
    }


def _result(result: stats.SignificanceResult) -> dict[str, Any]:
    p = None if np.isnan(result.p_value) else float(result.p_value)
    return {"p_vaerdi": p, "retning": result.direction, "vurdering": danish.verdict_text(result)}


def rank(place: Rank) -> str:
    """The rank as a Danish sentence: "Nr. 12 af 95 kommuner (1 = lavest omgørelsesprocent)."."""
    scale = "(nr. 1 har den laveste omgørelsesprocent)"
    if place.position is None:
        return (
            "Kommunen har ingen realitetsbehandlede sager og er ikke rangeret; "
            f"{danish.format_count(place.of, 'kommune', 'kommuner')} med sager er rangeret {scale}."
        )
    prefix = "Delt nr." if place.tied else "Nr."
    text = (
        f"{prefix} {danish.format_int(place.position)} af {danish.format_count(place.of, 'kommune', 'kommuner')} "
        f"{scale}"
    )
    if place.unranked:
        text += f"; {danish.format_count(place.unranked, 'kommune', 'kommuner')} uden sager indgår ikke i rangeringen"
    return text + "."


def case_count_change(change: CaseCountChange) -> str:
    """The change as a Danish sentence, e.g. "34 realitetsbehandlede sager i 2024 mod
    28 i 2023 (+21 %)."."""
    cases = danish.format_count_or_none(
        change.this_year, "realitetsbehandlet sag", "realitetsbehandlede sager"
    )
    now = f"{cases[:1].upper()}{cases[1:]} i {change.year}"
    if change.previous_year is None:
        return f"{now}; {change.year - 1} findes ikke i datafilen."
    earlier = "ingen" if change.previous_year == 0 else danish.format_int(change.previous_year)
    before = f"{now} mod {earlier} i {change.year - 1}"
    if change.change is None:
        return f"{before}."
    return f"{before} ({danish.format_change_pct(change.previous_year, change.this_year)})."


def rate_spread(spread: RateSpread) -> str:
    """The spread of the kommuner's omgørelsesprocenter as a Danish sentence."""
    minimum = danish.format_int(spread.min_cases)
    if spread.median is None:
        who = (
            "Ingen kommuner"
            if not spread.kommuner
            else f"Kun {danish.format_count(spread.kommuner, 'kommune', 'kommuner')}"
        )
        return f"{who} har mindst {minimum} sager, for få til at beskrive spredningen mellem kommunerne."
    return (
        f"Halvdelen af de {danish.format_count(spread.kommuner, 'kommune', 'kommuner')} med mindst {minimum} sager har en "
        f"omgørelsesprocent mellem {danish.format_pct(spread.lower_quartile)} og "
        f"{danish.format_pct(spread.upper_quartile)} (median {danish.format_pct(spread.median)})."
    )
