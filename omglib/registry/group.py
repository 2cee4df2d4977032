"""A kommune's own groups of provisions (fagområder), usable wherever an area is.

Kommuner report on groups the ministry's map does not have: "botilbud, BPA og
kontanttilskud" (SEL §§ 107, 108, 95, 96), or their own børnehandicap (SEL §§ 41, 42,
44, 45). A group is read from the kommune's YAML file (`omglib.io.areagroups`) and put in
use for the process with `use_area_groups`; from then on `resolve_area`, `area_name`
and the data's `select` know it by its key or name. A group's figures in a year are the
sum of its provisions' figures, each provision following its series across a move
between laws (`registry.series`), limited to the years given with it (`fra`/`til`).

Values kept for reuse (`omglib.memo`) are keyed by area id, so putting other
definitions in use forgets every kept value of the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from omglib import memo
from omglib.names import fold
from omglib.registry.series import provisions_in_year


@dataclass(frozen=True)
class GroupMember:
    """A provision of a group, counted from `first_year` to `last_year` (None: open)."""

    provision: str
    first_year: int | None = None
    last_year: int | None = None

    def counts_in(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True)
class AreaGroup:
    """A kommune's group of provisions: its key (the id), Danish name and provisions."""

    id: str
    name: str
    members: tuple[GroupMember, ...]

    def provisions_in(self, year: int) -> tuple[str, ...]:
        """The provisions whose figures make up the group in `year`."""
        held = {
            provision
            for member in self.members
            if member.counts_in(year)
            for provision in provisions_in_year(member.provision, year)
        }
        return tuple(sorted(held))


_in_use: dict[str, AreaGroup] = {}


def use_area_groups(groups: Mapping[str, AreaGroup]) -> None:
    """Put `groups` (by id) in use for this process, in place of any before. When that
    changes a definition, every value kept in the process is forgotten (see the module
    docstring)."""
    if dict(groups) == _in_use:
        return
    _in_use.clear()
    _in_use.update(groups)
    memo.forget()


def area_groups() -> dict[str, AreaGroup]:
    """The groups in use, by id (a dict of the caller's own)."""
    return dict(_in_use)


def group_id(value: object) -> str | None:
    """The id of the group in use that `value` names (its key or name, any spelling)."""
    written = fold(value)
    for group in _in_use.values():
        if written in (fold(group.id), fold(group.name)):
            return group.id
    return None


def area_group(area: str) -> AreaGroup | None:
    """The group in use with id `area`, or None (an area or a provision)."""
    return _in_use.get(area)
