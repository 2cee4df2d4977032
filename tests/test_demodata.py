"""The embedded demo data: reproducible from its generator, complete, and calibrated to
every national figure published on the ministry's Danmarkskort pages (sm.dk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from omglib import demodata, read_volumes
from omglib.dataset import Dataset
from omglib.figures import national_by_year

#: Published national figures (sm.dk Danmarkskort pages, see omglib/data/paragraffer.md):
#: (year, area) -> (ændret/ophævet, hjemvist, stadfæstet, omgørelsesprocent) in %, None
#: where not published.
PUBLISHED = {
    (2017, "socialomraadet"): (None, None, None, 38.0),
    (2017, "voksenhandicap"): (None, None, None, 21.0),
    (2019, "boernehandicap"): (15.6, 35.0, 49.4, 50.6),
    (2020, "boernehandicap"): (15.5, 36.5, 48.0, 52.0),
    (2020, "socialomraadet"): (None, None, None, 36.2),
    (2020, "voksenhandicap"): (None, None, None, 42.4),
    (2021, "socialomraadet"): (7.7, 24.1, 68.2, 31.8),
    (2021, "boernehandicap"): (None, None, None, 35.9),
    (2021, "voksenhandicap"): (None, None, None, 34.3),
    (2022, "socialomraadet"): (9.0, 28.5, 62.5, 37.5),
}


def test_packaged_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    for path in demodata.write(tmp_path):
        packaged = demodata.packaged_file(path.stem)
        assert path.read_bytes() == packaged.read_bytes(), (
            f"{packaged.name} is stale: run python -m omglib.demodata"
        )


def test_demo_covers_all_kommuner_years_and_areas(demo: Dataset) -> None:
    counts = demo.counts
    assert counts["kommunekode"].nunique() == 98
    assert sorted(counts["aar"].unique()) == list(range(2017, 2025))
    assert sorted(counts["omraade"].unique()) == [
        "boernehandicap",
        "socialomraadet",
        "voksenhandicap",
    ]
    assert counts["paragraf"].nunique() > 30
    assert demo.provenance.synthetic


def test_demo_counts_scale_with_kommune_size(demo: Dataset) -> None:
    social = demo.select("socialomraadet", 2024).set_index("kommunekode")
    on_merits = social[["stadfaestet", "hjemvist", "aendret_ophaevet"]].sum(axis=1)
    assert on_merits[101] > 10 * on_merits[825]  # København vs Læsø


@pytest.mark.parametrize(("year", "area"), sorted(PUBLISHED))
def test_national_totals_reproduce_published_figures(demo: Dataset, year: int, area: str) -> None:
    national = national_by_year(demo, area).set_index("aar").loc[year]
    changed, remanded, upheld, overturned = PUBLISHED[(year, area)]
    measured = {
        "aendrings_ophaevelsesprocent": changed,
        "hjemvisningsprocent": remanded,
        "stadfaestelsesprocent": upheld,
        "omgoerelsesprocent": overturned,
    }
    for column, published in measured.items():
        if published is not None:
            assert national[column] * 100 == pytest.approx(published, abs=0.1), column


def test_demo_volumes_cover_every_kommune() -> None:
    volumes = read_volumes(demodata.packaged_file("volumener"))
    assert volumes.frame["kommunekode"].nunique() == 98
    assert (volumes.frame["afgoerelser_i_alt"] > 0).all()
    assert volumes.provenance.synthetic
