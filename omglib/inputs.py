"""Which files a report or command reads: the ones the user names, or — when no data
file is named — the packaged synthetic demo files. Decided here only, so every report,
notebook and command agrees, and real data are never mixed with demo files.

Every function takes `mask_cpr`, passed on to the reader of every file it reads: a CPR
number in a file is an error unless it is masked (`omglib.io.privacy`), whichever role
the file plays in a run (the same case file may be both the data and the cases)."""

from __future__ import annotations

from pathlib import Path

from omglib import demodata, registry
from omglib.dataset import Dataset, Volumes
from omglib.io.areagroups import read_area_groups
from omglib.io.readers import CaseTable, read_cases, read_data, read_volumes
from omglib.io.sources import read_source

FileName = str | Path | None


def is_demo(data_file: FileName) -> bool:
    """No data file named: everything comes from the demo data."""
    return not data_file


def data_or_demo(data_file: FileName, mask_cpr: bool = False) -> Dataset:
    """The named data file, or the demo counts."""
    path = data_file if data_file else demodata.packaged_file("afgoerelser")
    return read_data(path, mask_cpr=mask_cpr)


def volumes_or_demo(
    volumes_file: FileName, data_file: FileName, mask_cpr: bool = False
) -> Volumes | None:
    """The named volumes file; on the demo data the demo volumes; otherwise none."""
    if volumes_file:
        return read_volumes(volumes_file, mask_cpr)
    if is_demo(data_file):
        return read_volumes(demodata.packaged_file("volumener"), mask_cpr)
    return None


def cases_or_demo(
    cases_file: FileName, data_file: FileName, mask_cpr: bool = False
) -> CaseTable | None:
    """The named case file; on the demo data the demo cases; otherwise none."""
    if cases_file:
        return read_cases(cases_file, mask_cpr=mask_cpr)
    if is_demo(data_file):
        return read_cases(demodata.packaged_file("sager"), mask_cpr=mask_cpr)
    return None


def dated_register(data_file: FileName, mask_cpr: bool = False) -> CaseTable | None:
    """The named data file as a case register when it is one with decision dates (the
    early warning's running figures need them), else None; never the demo data."""
    if is_demo(data_file):
        return None
    assert data_file is not None
    columns = read_source(data_file).frame.columns
    if "udfald" not in columns or "afgoerelsesdato" not in columns:
        return None
    return read_cases(data_file, mask_cpr=mask_cpr)


def use_areas(areas_file: FileName) -> dict[str, registry.AreaGroup]:
    """Put the kommune's own groups of provisions in `areas_file` (YAML, see
    `io.areagroups`) in use as areas for this process; none when no file is named (so a
    report without one never sees another's groups). Returns the groups by id."""
    groups = read_area_groups(areas_file) if areas_file else {}
    registry.use_area_groups(groups)
    return groups
