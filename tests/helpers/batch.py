"""What the tests of the report batch share: its kommuner, a fixed date and where a
report's files go."""

from __future__ import annotations

from pathlib import Path

KOMMUNER = ("Norddjurs", "Aarhus", "Lyngby-Taarbæk")
EPOCH = "1767225600"  # 2026-01-01
"""SOURCE_DATE_EPOCH for reports whose bytes are compared (see the `reproducible_date`
fixture in tests/conftest.py)."""


def report(out: Path, stem: str, suffix: str) -> Path:
    """A kommune's børnehandicap report for 2024 of the batch written to `out`."""
    return out / "2024" / "boernehandicap" / f"{stem}.{suffix}"
