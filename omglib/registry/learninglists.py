"""The learning loop's coded lists: reasons for overturning and follow-up after a remand.

Both are read from `data/laering.yaml`; a kommune may add reasons of its own in a file
of the same format. Each list maps every folded spelling to its label, and an unknown
entry gets a "mente du ...?" message that lists the labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from types import MappingProxyType

import yaml

from omglib.errors import OmgError
from omglib.names import closest, did_you_mean, fold
from omglib.registry.data import learning_lists


def _label_lookup(entries: Mapping[str, Sequence[str] | None]) -> dict[str, str]:
    """Folded spellings to labels."""
    return {
        fold(variant): label
        for label, variants in entries.items()
        for variant in [label, *(variants or [])]
    }


def reasons(extra_file: str = "") -> dict[str, str]:
    """Reasons for overturning (folded spelling → label): the coded list in
    `data/laering.yaml`, plus a kommune's own reasons from `extra_file` (same format). A
    dict of the caller's own; the file is read once."""
    return dict(_reasons(extra_file))


@cache
def _reasons(extra_file: str) -> Mapping[str, str]:
    entries: dict[str, Sequence[str] | None] = dict(learning_lists()["aarsager"])
    if extra_file:
        entries.update(_extra_reasons(extra_file))
    return MappingProxyType(_label_lookup(entries))


def _extra_reasons(path: str) -> dict[str, list[str] | None]:
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = yaml.safe_load(handle)
    except OSError as error:
        raise OmgError(f"Kan ikke læse årsagslisten {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise OmgError(f"Årsagslisten {path} er ikke gyldig YAML: {error}") from error
    entries = loaded.get("aarsager") if isinstance(loaded, dict) else None
    if not isinstance(entries, dict) or not all(
        isinstance(label, str) and (variants is None or isinstance(variants, list))
        for label, variants in entries.items()
    ):
        raise OmgError(
            f"Årsagslisten {path}: forventede 'aarsager:' med én linje pr. årsag, "
            "fx 'Manglende lægeerklæring: [Lægeerklæring]'"
        )
    return entries


def follow_ups() -> dict[str, str]:
    """What happened after a remand (folded spelling → label), in reporting order."""
    return _label_lookup(learning_lists()["opfoelgning"])


def follow_up_labels() -> list[str]:
    return list(learning_lists()["opfoelgning"])


def unknown_label_message(value: str, lookup: dict[str, str], what: str) -> str:
    """ "ukendt årsag 'x' – mente du ...? Forventede ..." for a coded list."""
    labels = list(dict.fromkeys(lookup.values()))
    guess = closest(value, lookup)
    return f"ukendt {what} '{value}'{did_you_mean(guess)} Forventede en af: {', '.join(labels)}"
