"""A Danmarkskort as file content: PNG and SVG from the static figure, HTML (fully
offline, the Vega JavaScript inlined) from the interactive chart. Deterministic bytes:
no timestamps or random ids in the output. SVG text stays text (searchable, readable by
a screen reader), and the boundaries' attribution is also in the PNG's and SVG's
metadata."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

from omglib.errors import OmgError
from omglib.geo.draw import Danmarkskort
from omglib.output import write_bytes_atomic

FORMATS = ("png", "svg", "pdf", "html")


def map_bytes(kort: Danmarkskort, file_format: str) -> bytes:
    """The map in one of FORMATS."""
    if file_format == "html":
        return kort.chart().to_html(inline=True).encode("utf-8")
    if file_format not in FORMATS:
        raise OmgError(f"Ukendt kortformat '{file_format}' – forventede en af {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    metadata: dict[str, dict[str, str | None]] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }
    if kort.attribution:  # the boundaries' credit travels with the file, not only in it
        metadata["png"]["Copyright"] = kort.attribution
        metadata["svg"]["Rights"] = kort.attribution
    with matplotlib.rc_context({"svg.hashsalt": "omglib", "svg.fonttype": "none"}):
        kort.figure().savefig(buffer, format=file_format, metadata=metadata[file_format])
    return buffer.getvalue()


def save_map(kort: Danmarkskort, path: str | Path) -> Path:
    """Write the map to `path`, the format from its suffix; atomically."""
    path = Path(path)
    return write_bytes_atomic(path, map_bytes(kort, path.suffix.lower().lstrip(".")))
