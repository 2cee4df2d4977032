"""Report wording: verdicts, the synthetic-data notice, and the Danish number formats of
:mod:`omglib.formats` under the names report code uses (``danish.format_pct``).

Every sentence a reader of a report sees is built from these, so that wording and
typography change in one place.
"""

import datetime as dt
from typing import Final

import pandas as pd

from omglib.formats import (
    MINUS,
    MONTHS,
    NO_VALUE,
    format_change_pct,
    format_count,
    format_count_or_none,
    format_counts,
    format_date,
    format_int,
    format_interval,
    format_number,
    format_p,
    format_pct,
    format_pp,
    listed,
    plural,
)
from omglib.stats import SignificanceResult, Verdict

__all__ = [
    "MINUS",
    "MONTHS",
    "NATIONAL_REFERENCE",
    "NO_EXTRACT_DATE",
    "NO_VALUE",
    "SYNTHETIC_NOTICE",
    "VERDICTS",
    "extract_date_text",
    "format_change_pct",
    "format_count",
    "format_count_or_none",
    "format_counts",
    "format_date",
    "format_int",
    "format_interval",
    "format_number",
    "format_p",
    "format_pct",
    "format_pp",
    "interval_text",
    "listed",
    "national_comparison",
    "plural",
    "verdict_phrase",
    "verdict_phrases",
    "verdict_text",
]

VERDICTS: Final[dict[Verdict, str]] = {
    Verdict.ABOVE_REFERENCE: "signifikant over {reference}",
    Verdict.BELOW_REFERENCE: "signifikant under {reference}",
    Verdict.SAME_AS_REFERENCE: "ikke signifikant forskellig fra {reference}",
    Verdict.NO_CASES: "kan ikke vurderes (ingen realitetsbehandlede sager)",
    Verdict.NO_REFERENCE: "kan ikke sammenlignes (intet landstal)",
    Verdict.INCREASE: "signifikant stigning",
    Verdict.DECREASE: "signifikant fald",
    Verdict.NO_CHANGE: "ingen signifikant ændring",
    Verdict.NO_CASES_IN_PERIOD: "kan ikke vurderes (ingen realitetsbehandlede sager i et af årene)",
    Verdict.RISING_TREND: "signifikant stigende tendens",
    Verdict.FALLING_TREND: "signifikant faldende tendens",
    Verdict.NO_TREND: "ingen signifikant udvikling",
    Verdict.TOO_FEW_YEARS: "for få år med sager til at vurdere en udvikling",
}
"""Danish wording of each verdict of :mod:`omglib.stats`; {reference} is what a rate was
compared with."""

NATIONAL_REFERENCE: Final = "landsniveau"
"""The reference named in a verdict when a rate was compared with the national level."""


def verdict_text(result: SignificanceResult) -> str:
    """A test's verdict as a report phrase: "signifikant over landsniveau"."""
    return verdict_phrase(result.verdict, result.reference)


def verdict_phrase(verdict: Verdict, reference: str | None = None) -> str:
    """A verdict against ``reference`` (None: the national level) as a report phrase."""
    return VERDICTS[verdict].format(reference=reference or NATIONAL_REFERENCE)


def national_comparison(result: SignificanceResult, national_rate: float) -> str:
    """The comparison with the national level as one sentence that names it once:
    "Signifikant over landsniveauet på 41,0 %.", or "Landsniveau 41,0 %: kan ikke vurderes
    (ingen realitetsbehandlede sager)." when the verdict does not name the reference."""
    level = format_pct(national_rate)
    if "{reference}" not in VERDICTS[result.verdict]:
        return f"Landsniveau {level}: {verdict_text(result)}."
    phrase = verdict_phrase(result.verdict, f"{NATIONAL_REFERENCE}et på {level}")
    return f"{phrase[:1].upper()}{phrase[1:]}."


def verdict_phrases(verdicts: pd.Series) -> pd.Series:
    """A column of verdicts against the national level (e.g. `figures.kommune_table`'s
    `vurdering`) as report phrases, same index."""
    return verdicts.map(verdict_phrase)


SYNTHETIC_NOTICE: Final = (
    "Bemærk: Tallene er syntetiske demodata og viser ikke virkelige kommuners resultater."
)


def interval_text(row: pd.Series) -> str:
    """The 95 % interval of a row's omgørelsesprocent as report text."""
    return format_interval(row["omgoerelse_nedre"], row["omgoerelse_oevre"])


NO_EXTRACT_DATE: Final = "udtrækkets dato er ikke angivet i filen"
"""Said of a data file that states no extract date (`dataset.Provenance.extract_date`)."""


def extract_date_text(extract_date: dt.date | None) -> str:
    """Which extract a file holds, for its source line: "udtrukket 7. februar 2023", or
    that the file does not say. Ankestyrelsen revises past figures, so a report names
    the extract its numbers come from."""
    if extract_date is None:
        return NO_EXTRACT_DATE
    return f"udtrukket {format_date(extract_date)}"
