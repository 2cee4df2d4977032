"""The input files of a batch of reports, as paths and content hashes.

A batch's reports read the same files: their paths travel to workers (absolute, as a
worker may run elsewhere) and their SHA-256 goes into every report's fingerprint, so a
changed file makes the reports that read it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from omglib.output import file_sha256

#: The input files by key; a notebook takes `<key>_file` for each it reads.
INPUT_KEYS = ("data", "volumes", "boundaries", "cases", "action_plan", "alerts", "areas")


@dataclass(frozen=True)
class Inputs:
    """The files a batch reads (None: the packaged demo data / the tile map) and their
    SHA-256, which go into every report's fingerprint."""

    data: Path | None = None
    volumes: Path | None = None
    boundaries: Path | None = None
    cases: Path | None = None
    action_plan: Path | None = None
    alerts: Path | None = None
    areas: Path | None = None
    hashes: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls,
        data: Path | None,
        volumes: Path | None = None,
        boundaries: Path | None = None,
        cases: Path | None = None,
        action_plan: Path | None = None,
        alerts: Path | None = None,
        areas: Path | None = None,
    ) -> Inputs:
        """Inputs with absolute paths (workers may run elsewhere) and their hashes."""
        paths = {
            "data": data,
            "volumes": volumes,
            "boundaries": boundaries,
            "cases": cases,
            "action_plan": action_plan,
            "alerts": alerts,
            "areas": areas,
        }
        resolved = {k: None if p is None else Path(p).resolve() for k, p in paths.items()}
        hashes = {k: file_sha256(p) for k, p in resolved.items() if p is not None}
        return cls(**resolved, hashes=hashes)

    def files(self) -> dict[str, Path]:
        """The input files given, by key (`data`, `volumes`, ...)."""
        return {key: path for key in INPUT_KEYS if (path := getattr(self, key)) is not None}

    def notebook_parameters(self) -> dict[str, str]:
        """Paths as notebook parameters (`<key>_file`; "" = the default)."""
        return {f"{key}_file": str(getattr(self, key) or "") for key in INPUT_KEYS}
