"""The manifest: every artefact of a batch with the inputs it was made from.

It makes a batch auditable (which data, parameters, notebook and omglib code made this
file, and the file's hash) and resumable: a report whose fingerprint is unchanged and
whose files are intact is not made again.

A report's fingerprint (`fingerprints`) holds everything that can change it:

- `rapport`, `parametre`, `formater`: the notebook's name, its parameters (input files
  by hash, not by path, so a moved file is the same input) and the formats made;
- `inddata_sha256`: the SHA-256 of each file the notebook reads, by input key (`data`,
  `volumes`, `boundaries`, `cases`, `action_plan`): the files given, or on the demo data
  (no data file) the packaged demo files the notebook then reads, and for `boundaries`
  without a file the one `OMG_BOUNDARIES` names;
- `inddata_udtraeksdato`: beside each hash, the extract date that file states (ISO,
  `omglib.io.sources.vintage`), or null when it states none or is no table from an
  extract (boundaries, an action plan). A report names the extract date in its source
  line; the date is part of the file's content, so its hash changes with it too, but
  the fingerprint states it in its own right;
- `inddata_filnavne`: the names of the files given (a report names its sources, so a
  renamed file with the same contents makes it again; a moved one does not);
- `miljoe`: the environment variables a report reads: `SOURCE_DATE_EPOCH` (the date it
  shows; unset, the report shows the day it was made, and a later day alone does not
  make it again) and, for a notebook with a map and no boundary file given,
  `OMG_BOUNDARIES` (null when unset: the tile map). `OMG_NOTEBOOKS` is covered by
  `notesbog_sha256`; `OMG_CACHE_DIR` and `XDG_CACHE_HOME` only say where prepared
  boundaries are cached, not what a report shows;
- `notesbog_sha256`: the notebook run;
- `omglib`: its version and `kode_sha256`, one hash of every file of the installed
  package (code, `data/`, `demo/`, templates, notebooks), so any change to omglib makes
  every report again (`code_sha256`);
- `pakker`: Python's and the packages' versions each report states in its footer.

On disk, beside the reports in the output directory:

- `manifest.json`: `{"format": 2, "rapporter": {<report path without suffix>: entry}}`,
  each entry `{"titel": ..., "fingerprint": {...}, "filer": {<kind>: {"fil": <path
  relative to the output directory>, "sha256": ...}}}`, sorted and indented, so equal
  batches give equal bytes. Written atomically (temporary file, then rename).
- `manifest.journal.jsonl`, while a batch runs: one line per report made, the entry as
  one JSON object with its path under `rapport`, appended as the report is finished. So
  recording a report costs the same whatever the manifest's size, and a batch killed at
  any moment leaves every finished report recorded: the next `Manifest` folds the
  journal into `manifest.json` (later lines win; a line cut short by the kill is
  skipped, so that report is made again) and removes it; so does the end of a batch
  (`fold`). A line is handed to the operating system when written (not fsync'ed, like the
  report files themselves): a killed process loses nothing, and after a power cut a
  report whose line or files did not survive fails `is_current` and is made again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from omglib import __version__, demodata
from omglib.errors import OmgError
from omglib.io.sources import read_source
from omglib.learning import handleplan
from omglib.output import file_sha256, write_text_atomic
from omglib.present.narrative import package_versions
from omglib.reports.inputfiles import Inputs
from omglib.reports.parameters import NOTEBOOK_INPUTS, Job

MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = "manifest.journal.jsonl"
FORMAT_VERSION = 2
#: The installed omglib package, whose every file goes into `omglib.kode_sha256`.
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
BOUNDARIES_VARIABLE = "OMG_BOUNDARIES"
#: The inputs that are tables from an extract, and so may state the extract's date.
EXTRACT_INPUTS = ("data", "volumes", "cases")


def code_sha256(root: Path) -> str:
    """One SHA-256 of the package at `root`: of its listing in `sha256sum`'s format
    (`<sha256>  <path relative to root>` per file, sorted by path), so a change to any
    file's contents or name changes it. Byte-code caches and hidden files (an editor's
    swap file, a half-written temporary file) are left out."""
    listing = "".join(
        f"{file_sha256(root / name)}  {name}\n" for name in _package_files(root)
    ).encode("utf-8")
    return hashlib.sha256(listing).hexdigest()


def _package_files(root: Path) -> list[str]:
    names = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
        if path.is_file() and not hidden and relative.suffix != ".pyc":
            names.append(relative.as_posix())
    return sorted(names)


def fingerprints(jobs: Iterable[Job], inputs: Inputs, notebooks: Path) -> dict[Job, dict[str, Any]]:
    """Each job's fingerprint (see the module's docstring), for notebooks in `notebooks`;
    what the jobs share (omglib's code hash, the input files' hashes) is computed once."""
    chosen = list(jobs)
    files = _files_read(inputs, {key for job in chosen for key in NOTEBOOK_INPUTS[job.notebook]})
    read = {key: inputs.hashes.get(key) or file_sha256(path) for key, path in files.items()}
    extract_dates = _extract_dates(files)
    notebook_hashes = {
        name: file_sha256(notebooks / f"{name}.ipynb") for name in {job.notebook for job in chosen}
    }
    omglib = {"version": __version__, "kode_sha256": code_sha256(PACKAGE_ROOT)}
    packages = package_versions()
    return {
        job: {
            "rapport": job.notebook,
            "parametre": {
                key: value
                for key, value in job.parameters(inputs).items()
                if not key.endswith("_file")
            },
            "formater": list(job.formats),
            **({"aktiver": "delte"} if job.shared_assets else {}),
            "inddata_sha256": {
                key: read[key] for key in sorted(NOTEBOOK_INPUTS[job.notebook]) if key in read
            },
            "inddata_udtraeksdato": {
                key: extract_dates[key]
                for key in sorted(NOTEBOOK_INPUTS[job.notebook])
                if key in read
            },
            "inddata_filnavne": {
                key: path.name
                for key in sorted(NOTEBOOK_INPUTS[job.notebook])
                if (path := getattr(inputs, key)) is not None
            },
            "miljoe": _environment(job, inputs),
            "notesbog_sha256": notebook_hashes[job.notebook],
            "omglib": omglib,
            "pakker": packages,
        }
        for job in chosen
    }


def _files_read(inputs: Inputs, keys: set[str]) -> dict[str, Path]:
    """The file each of `keys` makes a notebook read, where it reads one: the file given;
    on the demo data the packaged demo file (`omglib.inputs` decides the same); for
    boundaries the file `OMG_BOUNDARIES` names."""
    read = {key: path for key, path in inputs.files().items() if key in keys}
    if inputs.data is None:
        demo = {
            "data": demodata.packaged_file("afgoerelser"),
            "volumes": demodata.packaged_file("volumener"),
            "cases": demodata.packaged_file("sager"),
            "action_plan": handleplan.demo_file(),
        }
        read |= {
            key: path for key, path in demo.items() if key in keys and getattr(inputs, key) is None
        }
    if "boundaries" in keys and inputs.boundaries is None:
        from omglib.geo.boundaries import boundaries_path  # imports geopandas: only here

        named = boundaries_path(None)
        if named is not None:
            if not named.is_file():
                raise OmgError(
                    f"{named}: grænsefilen, som {BOUNDARIES_VARIABLE} peger på, findes ikke"
                )
            read["boundaries"] = named
    return read


def _extract_dates(files: dict[str, Path]) -> dict[str, str | None]:
    """The extract date (ISO) each file read states, by input key; None for a file that
    states none or is no table from an extract."""
    return {
        key: _extract_date(path) if key in EXTRACT_INPUTS else None for key, path in files.items()
    }


def _extract_date(path: Path) -> str | None:
    date = read_source(path).vintage.date
    return None if date is None else date.isoformat()


def _environment(job: Job, inputs: Inputs) -> dict[str, str | None]:
    """The environment variables the report reads, with their values (None: unset)."""
    read = {EPOCH_VARIABLE: os.environ.get(EPOCH_VARIABLE)}
    if "boundaries" in NOTEBOOK_INPUTS[job.notebook] and inputs.boundaries is None:
        read[BOUNDARIES_VARIABLE] = os.environ.get(BOUNDARIES_VARIABLE)
    return read


class Manifest:
    """The manifest of one output directory, keyed by each report's path; a journal a
    killed batch left is folded in at once."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_NAME
        self.journal = out_dir / JOURNAL_NAME
        self.out_dir = out_dir
        self.entries: dict[str, dict[str, Any]] = self._read()
        if self.journal.exists():
            self._save()

    def _read(self) -> dict[str, dict[str, Any]]:
        """The entries on disk: `manifest.json`'s, then the journal's in order."""
        entries: dict[str, dict[str, Any]] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            entries.update(loaded.get("rapporter", {}))
        except (OSError, json.JSONDecodeError, AttributeError):
            pass
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                entries[entry.pop("rapport")] = entry
            except (json.JSONDecodeError, AttributeError, KeyError, TypeError):
                continue  # cut short by a kill: that report is made again
        return entries

    def is_current(self, job: Job, print_: dict[str, Any]) -> bool:
        """Whether the report was made from exactly these inputs and its files are intact."""
        entry = self.entries.get(str(job.stem))
        if entry is None or entry.get("fingerprint") != print_:
            return False
        return all(
            (self.out_dir / item["fil"]).is_file()
            and file_sha256(self.out_dir / item["fil"]) == item["sha256"]
            for item in entry["filer"].values()
        )

    def record(self, job: Job, print_: dict[str, Any], files: dict[str, Path]) -> None:
        """Note a finished report and the hash of each of its files: one line appended to
        the journal, whatever the manifest's size."""
        stem = str(job.stem)
        self.entries[stem] = {
            "titel": job.title,
            "fingerprint": print_,
            "filer": {
                kind: {
                    "fil": path.relative_to(self.out_dir).as_posix(),
                    "sha256": file_sha256(path),
                }
                for kind, path in sorted(files.items())
            },
        }
        line = json.dumps({"rapport": stem, **self.entries[stem]}, ensure_ascii=False) + "\n"
        with self.journal.open("ab") as stream:  # one write: a kill cuts at most this line
            stream.write(line.encode("utf-8"))

    def fold(self) -> None:
        """Fold the journal into `manifest.json` (also lines another batch in the same
        directory wrote meanwhile) and remove it: at the end of a batch."""
        self.entries = self._read()
        self._save()

    def _save(self) -> None:
        """Write `manifest.json` atomically, sorted, then remove the journal it holds."""
        content = {
            "format": FORMAT_VERSION,
            "rapporter": dict(sorted(self.entries.items())),
        }
        write_text_atomic(self.path, json.dumps(content, ensure_ascii=False, indent=2) + "\n")
        self.journal.unlink(missing_ok=True)
