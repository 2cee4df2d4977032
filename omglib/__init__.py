"""omglib: Ankestyrelsen's omgørelsesprocenter for Danish kommuner, reproducibly.

The library holds all domain logic; notebooks and the `omg` command only call it.
"""

from omglib.dataset import Dataset, Provenance, Volumes
from omglib.errors import DataError, OmgError, Problem
from omglib.io.readers import (
    CaseTable,
    cases_to_dataset,
    read_cases,
    read_counts,
    read_data,
    read_volumes,
)
from omglib.outcomes import add_rates, collapse, count_outcomes, sum_counts

__version__ = "0.1.0"

__all__ = [
    "CaseTable",
    "DataError",
    "Dataset",
    "OmgError",
    "Problem",
    "Provenance",
    "Volumes",
    "__version__",
    "add_rates",
    "cases_to_dataset",
    "collapse",
    "count_outcomes",
    "read_cases",
    "read_counts",
    "read_data",
    "read_volumes",
    "sum_counts",
]
