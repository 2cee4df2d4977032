"""Backtest of the early warning's full-year forecast on the demo register.

For every kommune, area and year of the packaged case register that has a year before
it, the forecast made from the cases decided up to the end of March, June and September
(the cases still to come expected at last year's pace) is set against the year's actual
omgørelsesprocent. The script prints, per month and in all, how often the forecast's
95 % interval held the actual figure, with the 95 % Wilson interval of that share (the
register is small: 3 kommuner), the median width, and how many actual figures fell
below and above. The target is met when 95 % lies within the share's interval. Years
without any case in the whole year have no figure and are left out.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys

AREAS = ("socialomraadet", "boernehandicap", "voksenhandicap")
MONTHS = (3, 6, 9)
NOMINAL = 0.95


def main() -> int:
    from omglib import demodata, read_cases, stats
    from omglib.learning.running import running_figures

    cases = read_cases(demodata.packaged_file("sager"))
    kommuner = sorted(int(code) for code in cases.partial_decisions["kommunekode"].unique())
    years = sorted(int(year) for year in cases.partial_decisions["aar"].unique())[1:]
    print(
        f"register: {cases.provenance.file}, kommuner {kommuner}, forecast years "
        f"{years[0]}-{years[-1]}, areas {', '.join(AREAS)}"
    )
    results: list[tuple[int, str]] = []
    widths: list[float] = []
    for year in years:
        for area in AREAS:
            for code in kommuner:
                actual = running_figures(cases, code, area, year, until=dt.date(year, 12, 31))
                rate = float(actual.so_far["omgoerelsesprocent"])
                for month in MONTHS:
                    cut = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
                    forecast = running_figures(cases, code, area, year, until=cut).forecast
                    if forecast is None or rate != rate:  # no forecast, or no case all year
                        continue
                    widths.append(forecast.upper - forecast.lower)
                    where = (
                        "below"
                        if rate < forecast.lower
                        else "above"
                        if rate > forecast.upper
                        else "held"
                    )
                    results.append((month, where))
    for label, chosen in [
        *((f"end of month {month}", [w for m, w in results if m == month]) for month in MONTHS),
        ("all", [w for _, w in results]),
    ]:
        held = chosen.count("held")
        lower, upper = stats.wilson_interval(held, len(chosen))
        print(
            f"  {label:<17} {held:>3} of {len(chosen):>3} held ({held / len(chosen):.1%}, "
            f"95 %-interval {float(lower):.1%}-{float(upper):.1%}); below "
            f"{chosen.count('below')}, above {chosen.count('above')}"
        )
    print(
        f"  median width of the forecast interval {statistics.median(widths) * 100:.1f} percentage points"
    )
    everything = [w for _, w in results]
    lower, upper = stats.wilson_interval(everything.count("held"), len(everything))
    met = float(lower) <= NOMINAL <= float(upper)
    print(f"target coverage consistent with 95 %: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
