"""Work that many reports share, done once per process.

A batch worker makes hundreds of reports from the same files: each reads the same data,
builds the same table of all 98 kommuner, the same national trend and the same map, and
only the chosen kommune differs. omglib keeps such results, keyed by what they depend
on, so a report pays only for what is its own; a report made alone (in JupyterLab, by
the CLI) computes everything once and gives the same result.

- `read_once`: what a reader made of a file is kept under the file's content (SHA-256),
  its path and the reader's other arguments. A changed file is read anew: the content is
  hashed on every call, which costs far less than parsing and validating it.
- `derived`: a value computed from an object (a dataset) is kept with that object, under
  the function and its other arguments, for as long as the object lives. A dataset read
  once is the same object in every report, so its derived values are shared too; a
  dataset made by hand has its own.

Kept values are shared between callers. DataFrames and Series are handed out as copies
(a caller that adds a column changes only its own); other kept values are frozen
dataclasses, whose frames callers treat as read-only, as they treat a dataset's.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

import pandas as pd

from omglib.errors import OmgError
from omglib.output import file_sha256

P = ParamSpec("P")
R = TypeVar("R")

FILES_KEPT: Final = 8
"""Files read that a process keeps (most recently used first out): a batch reads one
data file and one volumes file, an analyst in JupyterLab perhaps a few."""
DERIVED_KEPT: Final = 512
"""Derived values kept per object: a batch over every area and year of one dataset
needs a few hundred (tables per area × year, trends per area, maps)."""


class _Lru(OrderedDict[Hashable, Any]):
    """A mapping that forgets its least recently used entry beyond `limit` entries."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = compute()
        self[key] = value
        while len(self) > self.limit:
            self.popitem(last=False)
        return value


_files = _Lru(FILES_KEPT)
_by_object: dict[int, _Lru] = {}


def handed_out(value: R) -> R:
    """A kept value as a caller gets it: frames and series copied, the rest shared."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()  # type: ignore[return-value]
    return value


def read_once(*path_parameters: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator for a reader: keep its result per process under the content of the files
    named by `path_parameters`, their paths and the other arguments. A call whose file
    cannot be read is not kept, so its error comes from the reader every time."""

    def decorate(reader: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(reader)

        @functools.wraps(reader)
        def kept(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            key: list[Hashable] = [reader.__module__, reader.__qualname__]
            for name, value in bound.arguments.items():
                if name in path_parameters and value is not None and value != "":
                    try:
                        content = file_sha256(Path(value))
                    except OmgError:  # missing or unreadable: the reader says so its own way
                        return reader(*args, **kwargs)
                    key.append((name, str(value), content))
                else:
                    key.append((name, value))
            result: R = _files.get_or_compute(tuple(key), lambda: reader(*args, **kwargs))
            return handed_out(result)

        return kept

    return decorate


def derived(function: Callable[..., R]) -> Callable[..., R]:
    """Decorator for a function of an object and hashable arguments: keep its result
    with the object (see the module docstring)."""

    @functools.wraps(function)
    def kept_result(owner: Any, *args: Any, **kwargs: Any) -> R:
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        return kept(owner, key, lambda: function(owner, *args, **kwargs))

    return kept_result


def kept(owner: object, key: Hashable, compute: Callable[[], R]) -> R:
    """`compute()`, kept with `owner` under `key` (which must name everything besides
    the owner that the value depends on)."""
    result: R = _store_of(owner).get_or_compute(key, compute)
    return handed_out(result)


def _store_of(owner: object) -> _Lru:
    """The kept values of an object, dropped when the object is."""
    identity = id(owner)
    store = _by_object.get(identity)
    if store is None:
        store = _by_object[identity] = _Lru(DERIVED_KEPT)
        weakref.finalize(owner, _by_object.pop, identity, None)
    return store


def forget() -> None:
    """Drop everything kept (for a test, or to free memory)."""
    _files.clear()
    _by_object.clear()
