"""The manifest: every artefact of a batch with the inputs it was made from.

It makes a batch auditable (which data, parameters, notebook and omglib version made
this file, and the file's hash) and resumable: a report whose fingerprint is unchanged
and whose files are intact is not made again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from omglib import __version__
from omglib.output import write_text_atomic
from omglib.reports.parameters import Inputs, Job, file_sha256

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


def fingerprint(job: Job, inputs: Inputs, notebook: Path) -> dict[str, Any]:
    """Everything a report depends on: its parameters (input files by hash, not by
    path, so a moved file is the same input), the notebook and omglib's version."""
    parameters = {
        key: value for key, value in job.parameters(inputs).items() if not key.endswith("_file")
    }
    return {
        "rapport": job.notebook,
        "parametre": parameters,
        "formater": list(job.formats),
        "inddata_sha256": dict(sorted(inputs.hashes.items())),
        "notesbog_sha256": file_sha256(notebook),
        "omglib": __version__,
    }


class Manifest:
    """The manifest of one output directory, keyed by each report's path."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_NAME
        self.out_dir = out_dir
        self.entries: dict[str, dict[str, Any]] = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        if not self.path.is_file():
            return {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {}
        return dict(loaded.get("rapporter", {}))

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
        """Note a finished report and the hash of each of its files, then save."""
        self.entries[str(job.stem)] = {
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
        self.save()

    def save(self) -> None:
        """Write the manifest atomically, sorted, so equal batches give equal bytes."""
        content = {
            "format": FORMAT_VERSION,
            "rapporter": dict(sorted(self.entries.items())),
        }
        write_text_atomic(self.path, json.dumps(content, ensure_ascii=False, indent=2) + "\n")
