"""The synthetic demo data set: a seeded, documented generator.

Run `python -m omglib.demodata` to rewrite the files in `omglib/demo/`; a test checks
that the committed files are exactly what the generator makes.

How the numbers are made:

1. Volume. Each kommune's expected number of realitetsbehandlede sager per provision and
   year is the national volume of the area (NATIONAL_CASES) times the kommune's share of
   the population (`indbyggere_ca` in kommuner.csv) times the provision's share of its
   area (PROVISION_WEIGHTS), times a persistent kommune factor (log-normal, sd 0.25).
   Counts are Poisson draws around it.
2. Outcomes. Each kommune has a persistent propensity to be overturned (logit-normal
   around the national target, sd 0.35) and a yearly wobble (sd 0.15); omgjorte are
   binomial draws, and hjemvisninger a binomial share of them. Afviste are about 8 % of
   the cases on top.
3. Calibration. The national totals are then nudged, one case at a time in kommuner
   drawn in proportion to their size, until each area's national omgørelsesprocent and
   hjemvisningsprocent equal NATIONAL_TARGETS to the nearest case. The
   targets reproduce every national figure published on Social- og Boligministeriets
   Danmarkskort pages, sm.dk/danmarkskort (the others are plausible interpolations).
   Socialområdet is every provision, so its "other provisions" part is calibrated last,
   after the two handicap areas.
4. Volumes and cases. Kommune volumes divide the appealed cases by an appeal share of
   1-3 %; complaints received are the cases at Ankestyrelsen divided by 0.6 (some
   complaints end when the kommune changes its own decision). Case-level data for
   CASE_KOMMUNER splits each counted case of the latest three years into one to three
   partial decisions whose most far-reaching one is the case's outcome, so collapsing
   them gives back the aggregated counts.
5. Learning loop. With a second random stream (seed + 1, so the counts above do not
   move), each overturned case gets one or two reasons and a learning point, each
   remand whether it concerned part of the decision only and its follow-up (with a date
   30-180 days after the decision unless still pending), and each case a family key,
   15 % of them shared with an earlier case of the same kommune.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from omglib import outcomes, registry
from omglib.io import casedetails, schema
from omglib.output import write_text_atomic

SEED = 20250601
YEARS = tuple(range(2017, 2025))
TITLE = "Syntetiske demodata fra omglib (seed {seed}) – ikke virkelige tal fra Ankestyrelsen"
CASE_KOMMUNER = (707, 250, 461)
CASE_YEARS = (2022, 2023, 2024)

#: National realitetsbehandlede sager per year, by part of socialområdet.
NATIONAL_CASES = {"boernehandicap": 2100, "voksenhandicap": 2600, "andre": 9000}

#: (omgørelsesprocent, hjemvisningsprocent) per area and year. Published figures
#: (Social- og Boligministeriets Danmarkskort pages and news on sm.dk, each listed in
#: data/paragraffer.md): bh 2019 50,6/35,0 and bh 2020 52,0/36,5
#: (sm.dk/danmarkskort/2021/jun/omgoerelsesprocenter-paa-boernehandicapomraadet-i-2020);
#: bh 2021 35,9, vh 2020 42,4, vh 2021 34,3, social 2020 36,2 (sm.dk news of 23-06-2022);
#: vh 2017 21 and social 2017 38 (sm.dk/danmarkskort/2018/apr/...); social 2021 31,8/24,1
#: and 2022 37,5/28,5 (sm.dk/danmarkskort/2023/jun/omgoerelsesprocenter-paa-socialomraadet-
#: i-2022). All other values are this project's interpolations.
NATIONAL_TARGETS: dict[str, dict[int, tuple[float, float]]] = {
    "boernehandicap": {
        2017: (0.450, 0.310),
        2018: (0.480, 0.330),
        2019: (0.506, 0.350),
        2020: (0.520, 0.365),
        2021: (0.359, 0.250),
        2022: (0.400, 0.280),
        2023: (0.420, 0.290),
        2024: (0.410, 0.280),
    },
    "voksenhandicap": {
        2017: (0.210, 0.140),
        2018: (0.300, 0.200),
        2019: (0.380, 0.260),
        2020: (0.424, 0.290),
        2021: (0.343, 0.240),
        2022: (0.330, 0.230),
        2023: (0.320, 0.220),
        2024: (0.310, 0.210),
    },
    "socialomraadet": {
        2017: (0.380, 0.260),
        2018: (0.370, 0.255),
        2019: (0.365, 0.250),
        2020: (0.362, 0.250),
        2021: (0.318, 0.241),
        2022: (0.375, 0.285),
        2023: (0.350, 0.260),
        2024: (0.340, 0.250),
    },
}

#: Share of an area's cases per provision (serviceloven until 2023, barnets lov from 2024).
PROVISION_WEIGHTS: dict[str, dict[str, float]] = {
    "boernehandicap": {
        "SEL § 41": 30,
        "SEL § 42": 35,
        "SEL § 32": 5,
        "SEL § 32a": 2,
        "SEL § 36": 2,
        "SEL § 39": 1,
        "SEL § 40": 1,
        "SEL § 43": 4,
        "SEL § 44": 14,
        "SEL § 45": 6,
        "BL § 86": 31,
        "BL § 87": 35,
        "BL § 82": 9,
        "BL § 85": 2,
        "BL § 88": 4,
        "BL § 89": 5,
        "BL § 90": 14,
    },
    "voksenhandicap": {
        "SEL § 95": 4,
        "SEL § 96": 8,
        "SEL § 97": 6,
        "SEL § 98": 2,
        "SEL § 99": 1,
        "SEL § 100": 18,
        "SEL § 102": 3,
        "SEL § 103": 4,
        "SEL § 104": 5,
        "SEL § 107": 10,
        "SEL § 108": 8,
        "SEL § 112": 15,
        "SEL § 113": 6,
        "SEL § 114": 6,
        "SEL § 116": 3,
        "SEL § 117": 1,
    },
    "andre": {
        "SEL § 83": 35,
        "SEL § 85": 30,
        "SEL § 52, stk. 3": 15,
        "SEL § 55": 5,
        "SEL § 71": 5,
        "SEL § 159": 10,
        "BL § 32": 15,
        "BL § 45": 5,
        "BL § 103": 5,
        "BL § 187": 10,
    },
}

REJECTED_SHARE = 0.08


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The demo tables: `afgoerelser` (aggregated counts per provision), `volumener`
    (kommune volumes) and `sager` (partial decisions for CASE_KOMMUNER)."""
    rng = np.random.default_rng(seed)
    provisions = _provision_counts(rng)
    counts = _area_rows(provisions)
    return {
        "afgoerelser": counts,
        "volumener": _volumes(counts, rng),
        "sager": _learning_details(
            _partial_decisions(provisions, rng), np.random.default_rng(seed + 1)
        ),
    }


def _provision_frame() -> pd.DataFrame:
    """Every (year, part, provision) in force, with its share of the national volume."""
    rows = []
    for part, weights in PROVISION_WEIGHTS.items():
        for year in YEARS:
            in_force = {p: w for p, w in weights.items() if _in_force(p, year)}
            total = sum(in_force.values())
            rows += [(year, part, p, w / total * NATIONAL_CASES[part]) for p, w in in_force.items()]
    return pd.DataFrame(rows, columns=["aar", "del", "paragraf", "forventet_landet"])


def _in_force(provision: str, year: int) -> bool:
    table = registry.provisions()
    row = table[table["paragraf"] == provision]
    return bool(((row["fra_aar"] <= year) & (row["til_aar"] >= year)).any())


def _provision_counts(rng: np.random.Generator) -> pd.DataFrame:
    kommuner = registry.kommuner()[["kommunekode", "indbyggere_ca"]]
    size = kommuner["indbyggere_ca"] / kommuner["indbyggere_ca"].sum()
    factor = rng.lognormal(0.0, 0.25, len(kommuner))
    propensity = rng.normal(0.0, 0.35, len(kommuner))
    grid = _provision_frame().merge(
        kommuner.assign(andel=size * factor, tilboejelighed=propensity), how="cross"
    )
    grid["target_area"] = grid["del"].map(lambda d: "socialomraadet" if d == "andre" else d)
    targets = grid.apply(lambda r: NATIONAL_TARGETS[r["target_area"]][r["aar"]], axis=1)
    rate = np.array([t[0] for t in targets])
    remand_share = np.array([t[1] / t[0] for t in targets])
    n = rng.poisson(grid["forventet_landet"] * grid["andel"])
    logit = np.log(rate / (1 - rate)) + grid["tilboejelighed"] + rng.normal(0, 0.15, len(grid))
    overturned = rng.binomial(n, 1 / (1 + np.exp(-logit)))
    remanded = rng.binomial(overturned, remand_share)
    grid["stadfaestet"] = n - overturned
    grid["hjemvist"] = remanded
    grid["aendret_ophaevet"] = overturned - remanded
    grid["afvist"] = rng.binomial(n, REJECTED_SHARE)
    columns = [
        "aar",
        "kommunekode",
        "del",
        "paragraf",
        "stadfaestet",
        "hjemvist",
        "aendret_ophaevet",
        "afvist",
    ]
    return _calibrate(grid[columns].copy(), rng)


def _calibrate(grid: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for year in YEARS:
        for area in ("boernehandicap", "voksenhandicap"):
            rows = (grid["aar"] == year) & (grid["del"] == area)
            _nudge(grid, rows, rows, NATIONAL_TARGETS[area][year], rng)
        others = (grid["aar"] == year) & (grid["del"] == "andre")
        _nudge(grid, others, grid["aar"] == year, NATIONAL_TARGETS["socialomraadet"][year], rng)
    return grid


def _nudge(
    grid: pd.DataFrame,
    adjustable: pd.Series,
    measured: pd.Series,
    target: tuple[float, float],
    rng: np.random.Generator,
) -> None:
    """Move cases between outcomes in `adjustable` rows until the totals of `measured`
    rows have the target omgørelses- and hjemvisningsprocent (to the nearest case)."""
    target_rate, target_remand = target
    for _ in range(100):
        totals = grid.loc[measured, ["stadfaestet", "hjemvist", "aendret_ophaevet"]].sum()
        n = int(totals.sum())
        overturned = int(totals["hjemvist"] + totals["aendret_ophaevet"])
        missing_overturned = round(target_rate * n) - overturned
        missing_remanded = round(target_remand * n) - int(totals["hjemvist"])
        if missing_overturned:
            _move(grid, adjustable, "stadfaestet", "aendret_ophaevet", missing_overturned, rng)
        elif missing_remanded:
            _move(grid, adjustable, "aendret_ophaevet", "hjemvist", missing_remanded, rng)
        else:
            return
    raise RuntimeError("demo calibration did not converge")


def _move(
    grid: pd.DataFrame,
    adjustable: pd.Series,
    source: str,
    destination: str,
    cases: int,
    rng: np.random.Generator,
) -> None:
    """Move `cases` cases from `source` to `destination` (backwards when negative) in
    rows drawn in proportion to what they hold; rows never go below zero."""
    if cases < 0:
        source, destination, cases = destination, source, -cases
    rows = grid.index[adjustable & (grid[source] > 0)]
    available = grid.loc[rows, source].to_numpy()
    moved = np.minimum(rng.multinomial(cases, available / available.sum()), available)
    grid.loc[rows, source] -= moved
    grid.loc[rows, destination] += moved


def _area_rows(provisions: pd.DataFrame) -> pd.DataFrame:
    """Rows per area as Ankestyrelsen publishes them: each handicap area's provisions,
    and socialområdet with every provision; provisions without cases have no row."""
    handicap = provisions[provisions["del"] != "andre"].rename(columns={"del": "omraade"})
    social = provisions.assign(omraade="socialomraadet").drop(columns="del")
    rows = pd.concat([social, handicap], ignore_index=True)
    rows = rows[rows[["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]].sum(axis=1) > 0]
    order = ["aar", "kommunekode", "omraade", "paragraf"]
    return rows[[*order, "stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]].sort_values(
        order, ignore_index=True
    )


def _volumes(counts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    appealed = counts.groupby(["aar", "kommunekode", "omraade"], as_index=False)[
        ["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]
    ].sum()
    at_board = appealed[["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]].sum(axis=1)
    share = rng.uniform(0.01, 0.03, len(appealed))
    appealed["afgoerelser_i_alt"] = np.ceil(at_board / share).astype(int) + 20
    appealed["klager_modtaget"] = np.ceil(at_board / 0.6).astype(int)
    return appealed[["aar", "kommunekode", "omraade", "afgoerelser_i_alt", "klager_modtaget"]]


_OUTCOME_COLUMNS = {
    "aendret_ophaevet": "aendret",
    "hjemvist": "hjemvist",
    "stadfaestet": "stadfaestet",
    "afvist": "afvist",
}


def _other_parts(outcome: str) -> list[str]:
    """Outcomes drawn for a case's further partial decisions: those less far-reaching
    than its own among the count columns' outcomes, or its own for an afvist case (a case
    with any part decided on its merits is not afvist)."""
    drawn = set(_OUTCOME_COLUMNS.values())
    return [o for o in outcomes.less_far_reaching(outcome) if o in drawn] or [outcome]


def _partial_decisions(provisions: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    chosen = provisions[
        provisions["kommunekode"].isin(CASE_KOMMUNER) & provisions["aar"].isin(CASE_YEARS)
    ]
    rows = []
    number = 0
    columns = ["aar", "kommunekode", "paragraf", *_OUTCOME_COLUMNS]
    for year, code, provision, *case_counts in chosen[columns].to_numpy().tolist():
        for outcome, cases in zip(_OUTCOME_COLUMNS.values(), case_counts, strict=True):
            for _ in range(cases):
                number += 1
                case_id = f"D{year}-{code:03d}-{number:05d}"
                date = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
                parts = [outcome, *rng.choice(_other_parts(outcome), rng.integers(0, 3))]
                rows += [(case_id, code, date.isoformat(), provision, part) for part in parts]
    frame = pd.DataFrame(
        rows, columns=["sag_id", "kommunekode", "afgoerelsesdato", "paragraf", "udfald"]
    )
    return frame.sort_values(["afgoerelsesdato", "sag_id"], kind="stable", ignore_index=True)


#: Reasons for overturning and how often kommuner name them (most often an insufficient
#: information basis, then insufficient reasoning; the categories follow Ankestyrelsen's
#: handicapsagsbarometre, the shares are this project's assumption), each with synthetic
#: learning points of the kind kommuner write in their knowledge bank.
_REASONS: dict[str, tuple[float, tuple[str, ...]]] = {
    "Utilstrækkeligt oplysningsgrundlag": (
        0.45,
        (
            "Lægeerklæringen var ældre end tre måneder – indhent en ny før afgørelsen.",
            "Oplysninger om tabt arbejdsfortjeneste manglede – bed om lønsedler.",
            "Skolens udtalelse manglede – indhent den, før sagen afgøres.",
        ),
    ),
    "Mangelfuld begrundelse": (
        0.25,
        (
            "Begrundelsen gengav ikke de konkrete forhold – beskriv, hvorfor behovet ikke er dækket.",
            "Afgørelsen henviste kun til loven – forklar selve vurderingen.",
        ),
    ),
    "Forkert vurdering/retsanvendelse": (
        0.15,
        (
            "Merudgifterne blev vurderet for snævert – brug Ankestyrelsens principmeddelelser.",
            "Funktionsnedsættelsens varighed blev vurderet forkert.",
        ),
    ),
    "Manglende partshøring": (
        0.08,
        ("Borgeren blev ikke partshørt om nye oplysninger fra lægen.",),
    ),
    "Hjemmelsmangel": (0.03, ("Afgørelsen byggede på en forkert paragraf.",)),
    "Andet": (0.04, ("Sagen blev behandlet efter en forkert fremgangsmåde.",)),
}
#: What happened after a remand, and how often.
_FOLLOW_UPS = {
    "Ny afgørelse til fordel for borgeren": 0.38,
    "Afgørelse fastholdt": 0.32,
    "Ansøgning trukket tilbage": 0.08,
    "Påklaget igen": 0.10,
    "Afventer": 0.12,
}
PARTIAL_REMAND_SHARE = 0.25
SHARED_FAMILY_SHARE = 0.15


def _learning_details(partial: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Details of the learning loop on each case's first row: reasons and a learning
    point for overturned cases, partial remand and follow-up for remands, a family key
    for every case (some families have several cases)."""
    outcome = partial.groupby("sag_id", sort=False)["udfald"].transform(outcomes.most_far_reaching)
    first = ~partial["sag_id"].duplicated()
    details = pd.DataFrame("", index=partial.index, columns=list(casedetails.DETAIL_COLUMNS))
    reasons, weights = list(_REASONS), np.array([w for w, _ in _REASONS.values()])
    follow_ups = list(_FOLLOW_UPS)
    families: dict[int, int] = {}
    for index in map(int, np.flatnonzero(first.to_numpy())):
        row = partial.iloc[index]
        code, kind = int(row["kommunekode"]), outcome.iat[index]
        number = families.get(code, 0)
        if number and rng.random() < SHARED_FAMILY_SHARE:
            family = int(rng.integers(1, number + 1))
        else:
            family = families[code] = number + 1
        details.iat[index, 2] = f"F-{code:03d}-{family:04d}"
        if kind not in ("aendret", "hjemvist"):
            continue
        named = rng.choice(
            len(reasons), size=1 + int(rng.random() < 0.2), replace=False, p=weights / weights.sum()
        )
        details.iat[index, 0] = " | ".join(reasons[i] for i in sorted(named))
        points = _REASONS[reasons[named[0]]][1]
        details.iat[index, 5] = points[int(rng.integers(0, len(points)))]
        if kind != "hjemvist":
            continue
        details.iat[index, 1] = "ja" if rng.random() < PARTIAL_REMAND_SHARE else "nej"
        choice = follow_ups[int(rng.choice(len(follow_ups), p=list(_FOLLOW_UPS.values())))]
        details.iat[index, 3] = choice
        if choice != "Afventer":
            decided = dt.date.fromisoformat(str(row["afgoerelsesdato"]))
            details.iat[index, 4] = (
                decided + dt.timedelta(days=int(rng.integers(30, 181)))
            ).isoformat()
    return pd.concat([partial, details], axis=1)


# --- files ----------------------------------------------------------------------------

FILES = {"afgoerelser": "afgoerelser.csv", "volumener": "volumener.csv", "sager": "sager.csv"}


def to_user_format(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """A demo table as a kommune would export it: Ankestyrelsen's headers and outcome
    names (the first spellings in `data/aliaser.yaml`), Danish kommune and area names."""
    table = table.copy()
    if "kommunekode" in table.columns and name != "sager":
        names = dict(
            zip(registry.kommuner()["kommunekode"], registry.kommuner()["kommunenavn"], strict=True)
        )
        table.insert(2, "kommune", table["kommunekode"].map(names))
    if "omraade" in table.columns:
        table["omraade"] = table["omraade"].map(
            lambda a: registry.areas()[a].short_name.capitalize()
        )
    if "udfald" in table.columns:
        table["udfald"] = table["udfald"].map(schema.outcome_title)
    if name == "afgoerelser":
        table["i_alt"] = table[["stadfaestet", "hjemvist", "aendret_ophaevet", "afvist"]].sum(
            axis=1
        )
    return table.rename(columns=schema.column_title)


def write(directory: str | Path, seed: int = SEED) -> list[Path]:
    """Write the demo files (semicolon-separated UTF-8 CSV, Danish headers, a title row
    that marks them as synthetic) into `directory`."""
    directory = Path(directory)
    written = []
    for name, table in generate(seed).items():
        path = directory / FILES[name]
        text = (
            TITLE.format(seed=seed)
            + "\n"
            + to_user_format(name, table).to_csv(sep=";", index=False, lineterminator="\n")
        )
        written.append(write_text_atomic(path, text))
    return written


def packaged_file(name: str) -> Path:
    """The path of a packaged demo file ("afgoerelser", "volumener" or "sager")."""
    return Path(str(resources.files("omglib").joinpath("demo", FILES[name])))


if __name__ == "__main__":
    write(packaged_file("afgoerelser").parent)
