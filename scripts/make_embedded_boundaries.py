"""Make omglib's embedded kommune boundaries from the national DAGI boundary file.

    python scripts/make_embedded_boundaries.py PATH-TO-DAGI-GEOJSON

writes `omglib/data/kommunegraenser.geojson` (the simplified boundaries every map draws
without a boundary file of the user's) and `omglib/data/kommunegraenser.md` (its source,
licence and simplification). The same input gives the same bytes; a test checks the
committed files against this script's output when the DAGI file is at hand.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from omglib.geo.embedded import embedded_path, make_embedded
from omglib.output import write_bytes_atomic


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as cache:
        geojson, readme = make_embedded(Path(arguments[0]), Path(cache))
    target = embedded_path()
    write_bytes_atomic(target, geojson.encode("utf-8"))
    write_bytes_atomic(target.with_suffix(".md"), readme.encode("utf-8"))
    print(f"Skrev {target} ({len(geojson.encode('utf-8'))} bytes) og {target.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
