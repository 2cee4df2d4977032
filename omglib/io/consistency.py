"""Checks that a file agrees with itself: its totals and percentages against its counts.

Ankestyrelsen's tables carry totals ("Antal sager i alt", "Realitetsbehandlede sager i
alt"), percentages ("Omgørelsesprocent") and total rows ("I alt" as instance or as
subject) beside the counts. omglib computes every figure from the counts, so each of
these is recomputed and a disagreement is reported like any other problem in the file,
never silently trusted or ignored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from omglib.formats import format_pct
from omglib.io import schema
from omglib.outcomes import ON_MERITS_COUNTS, OVERTURNED_COUNTS, column_sum

#: Percentage columns and the counts they are computed from: (numerator parts).
PERCENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "procent_omgjort": OVERTURNED_COUNTS,
    "procent_hjemvist": ("hjemvist",),
    "procent_aendret_ophaevet": ("aendret_ophaevet",),
    "procent_stadfaestet": ("stadfaestet",),
}
#: Largest disagreement between a given percentage and the recomputed one, in points,
#: for a percentage written with one decimal or more; one written as a whole number may
#: differ by its own rounding (0,5 point).
PERCENT_TOLERANCE = 0.1


def flag_on_merits_total(checker: schema.Checker, frame: pd.DataFrame) -> None:
    """ "Realitetsbehandlede sager i alt" must be stadfæstede + hjemviste + ændrede/ophævede."""
    parts = {column: frame[column] for column in ON_MERITS_COUNTS}
    schema.flag_total(checker, frame["realitetsbehandlede"], parts, "realitetsbehandlede")


def flag_percentages(checker: schema.Checker, frame: pd.DataFrame) -> None:
    """Each given percentage recomputed from the counts on its row (of the cases decided
    on their merits); more than PERCENT_TOLERANCE points apart is a problem, and so is a
    rate given where there are no cases or missing ("." or empty) where there are."""
    on_merits = column_sum(frame, ON_MERITS_COUNTS)
    for column, numerator_parts in PERCENT_COLUMNS.items():
        if column not in checker.source.frame.columns:
            continue
        given, decimals = schema.parse_percent(checker, column)
        not_given = checker.source.frame[column].str.strip().isin(["", schema.NO_CASES])
        numerator = sum((frame[c] for c in numerator_parts[1:]), frame[numerator_parts[0]])
        valid = on_merits.notna() & numerator.notna()
        computed = (100 * numerator / on_merits.where(on_merits > 0)).astype("float64")
        tolerance = np.maximum(PERCENT_TOLERANCE, 0.5 * 10.0 ** -decimals.to_numpy()) + 1e-9
        differs = valid & given.notna() & computed.notna() & ((given - computed).abs() > tolerance)
        explained = _formula(checker, numerator_parts)
        checker.flag(
            differs,
            column,
            computed.map(
                lambda p, e=explained: f"passer ikke med antallene: {e} giver {_percent(p)}"
            ),
        )
        checker.flag(
            valid & not_given & computed.notna(),
            column,
            on_merits.map(
                lambda n: f"mangler procentsatsen, men der er {n} realitetsbehandlede sager"
            ),
        )
        checker.flag(
            valid & given.notna() & (on_merits == 0),
            column,
            "giver en procentsats, men der er ingen realitetsbehandlede sager",
        )


def _formula(checker: schema.Checker, numerator_parts: Sequence[str]) -> str:
    title = checker.source.headers.get
    numerator = " + ".join(title(c, c) for c in numerator_parts)
    denominator = " + ".join(title(c, c) for c in ON_MERITS_COUNTS)
    if len(numerator_parts) > 1:
        numerator = f"({numerator})"
    return f"{numerator} / ({denominator})"


def _percent(value: float) -> str:
    return format_pct(value / 100, 1)


def flag_total_rows(
    checker: schema.Checker,
    frame: pd.DataFrame,
    total: pd.Series,
    parts: pd.Series,
    key: Sequence[str],
    what: str,
) -> None:
    """Rows marked `total` ("I alt") must equal the sum of the `parts` rows with the same
    `key`, column by column; checked only where the file has both. `what` names the parts
    in the message ("instanser", "sagsemner")."""
    if not total.any() or not parts.any():
        return
    key = list(key)
    counts = [c for c in frame.columns if c not in key]
    keys = frame[key].astype(str)
    part_rows = frame[parts.to_numpy(dtype=bool)].assign(**{c: keys[c] for c in key})
    grouped = part_rows.groupby(key, sort=False)
    sums = grouped[counts].sum(min_count=1).join(grouped.size().rename("_parts"))
    expected = keys.merge(sums, how="left", left_on=key, right_index=True)
    expected.index = frame.index
    for column in counts:
        checkable = total & expected[column].notna() & frame[column].notna()
        differs = checkable & (frame[column] != expected[column]).fillna(False)
        message = [
            f"'I alt'-rækken passer ikke med summen af rækkerne for de {int(n)} {what}, "
            f"som giver {int(e)}"
            if d
            else ""
            for n, e, d in zip(
                expected["_parts"].fillna(0), expected[column].fillna(0), differs, strict=True
            )
        ]
        checker.flag(differs.to_numpy(dtype=bool), column, pd.Series(message, index=frame.index))
