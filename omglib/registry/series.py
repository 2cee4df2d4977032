"""One provision as one series across the years, through a move between laws.

On 1 January 2024 the children's provisions of serviceloven moved to barnets lov (SEL §
41 became BL § 86); `data/paragraffer.csv` gives each provision's years in force and its
successor (`efterfoelger`). A trend that follows "SEL § 41" shows BL § 86 from 2024, and
one that follows "BL § 86" shows SEL § 41 before, instead of years without cases. Where
two provisions became one (SEL §§ 32 and 36 → BL § 82), the successor before its start
is both of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from omglib.registry.data import _provision_table


def provisions_in_year(provision: str, year: int) -> tuple[str, ...]:
    """The provisions that hold `provision`'s cases in `year`: itself while in force;
    after its last year its successors (and theirs) in force then; before its first
    year its predecessors in force then. A provision outside the registry is itself."""
    periods = _periods()
    if provision not in periods or _in_force(provision, year):
        return (provision,)
    first, _ = periods[provision]
    links = _successors() if year > first else _predecessors()
    found: list[str] = []
    frontier = list(links.get(provision, ()))
    seen = set(frontier)
    while frontier:
        candidate = frontier.pop(0)
        if _in_force(candidate, year):
            found.append(candidate)
            continue
        for following in links.get(candidate, ()):
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return tuple(sorted(found))


def series_note(provision: str, years: Iterable[int]) -> str:
    """Where the series of `provision` over `years` takes another provision's figures,
    in Danish ("fra 2024: BL § 86"; "2017-2023: SEL § 41"); "" when it never does."""
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for year in sorted(set(years)):
        held = provisions_in_year(provision, year)
        if held == (provision,):
            continue
        if spans and spans[-1][2] == held and spans[-1][1] == year - 1:
            spans[-1] = (spans[-1][0], year, held)
        else:
            spans.append((year, year, held))
    last = max(years, default=0)
    return "; ".join(
        f"{_span_text(start, end, last)}: {' og '.join(held) or 'ingen efterfølger i paragraflisten'}"
        for start, end, held in spans
    )


def _span_text(start: int, end: int, last: int) -> str:
    if end == last:
        return f"fra {start}"
    return str(start) if start == end else f"{start}-{end}"


def _in_force(provision: str, year: int) -> bool:
    first, last = _periods()[provision]
    return first <= year <= last


@cache
def _periods() -> dict[str, tuple[int, int]]:
    """Each registry provision's first and last year in force."""
    table = _provision_table()
    grouped = table.groupby("paragraf").agg(first=("fra_aar", "min"), last=("til_aar", "max"))
    return {str(p): (int(row["first"]), int(row["last"])) for p, row in grouped.iterrows()}


@cache
def _successors() -> dict[str, tuple[str, ...]]:
    table = _provision_table()
    linked = table[table["efterfoelger"] != ""]
    return {
        str(provision): tuple(sorted(set(rows["efterfoelger"])))
        for provision, rows in linked.groupby("paragraf")
    }


@cache
def _predecessors() -> dict[str, tuple[str, ...]]:
    backwards: dict[str, set[str]] = {}
    for provision, successors in _successors().items():
        for successor in successors:
            backwards.setdefault(successor, set()).add(provision)
    return {successor: tuple(sorted(before)) for successor, before in backwards.items()}
