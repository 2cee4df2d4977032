"""Types of the browser fixtures in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Visit:
    """What the browser saw on one page."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


OpenReport = Callable[[Path], tuple[Any, Visit]]
"""The `open_report` fixture: a report's path to its Playwright page and the visit."""
