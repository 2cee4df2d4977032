"""The kommune's own groups of provisions (fagområder), from the YAML file it writes.

```yaml
# Norddjurs Kommunes fagområder
botilbud_bpa:
  navn: Botilbud, BPA og kontanttilskud
  paragraffer: [SEL § 107, SEL § 108, SEL § 95, SEL § 96]
boernehandicap_egen:
  navn: Børnehandicap (egen opgørelse)
  paragraffer:
    - SEL § 41
    - SEL § 42
    - paragraf: Serviceloven § 44
      fra: 2019
      til: 2023
```

Each key is the group's id (letters, digits, `_` and `-`), with `navn` (its Danish name)
and `paragraffer`: provisions in any spelling the readers accept ("Serviceloven § 107",
"§ 95 i serviceloven"), each optionally with the years it counts (`fra`, `til`). A
provision follows its series across a move between laws (`registry.series`). The file
is read like the action plan (`io.yamlfile`): every problem at once, by line and field,
with "mente du ...?" for a misspelt field or provision.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from omglib import registry
from omglib.errors import DataError, OmgError
from omglib.io.yamlfile import Field, LineProblem, YamlReader, compose
from omglib.names import fold

_GROUP_FIELDS: Final = ("navn", "paragraffer")
_MEMBER_FIELDS: Final = ("paragraf", "fra", "til")
_GROUP_ID: Final = re.compile(r"[a-z0-9æøå][a-z0-9æøå_-]*", re.IGNORECASE)


def read_area_groups(path: str | Path) -> dict[str, registry.AreaGroup]:
    """The groups of a YAML file, by id; DataError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise DataError([LineProblem(str(path), None, None, None, "filen findes ikke")])
    reader = _Reader(path.name)
    root = compose(path.read_bytes(), path.name)
    if not isinstance(root, MappingNode) or not root.value:
        message = (
            "forventede et fagområde pr. nøgle, fx 'botilbud_bpa:' med 'navn:' og "
            "'paragraffer:' under"
        )
        raise DataError(reader.problems or [LineProblem(path.name, None, None, None, message)])
    groups = [reader.group(field) for field in root.value]
    reader.check_names([group for group in groups if group is not None])
    if reader.problems:
        raise DataError(reader.problems)
    return {group.id: group for group in groups if group is not None}


class _Reader(YamlReader):
    """Reads groups: ids as keys, each with a name and its provisions."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.name_nodes: dict[str, Node] = {}

    def group(self, field: Field) -> registry.AreaGroup | None:
        key, node = field
        group_id = self.group_id(key)
        fields = self.fields(node, _GROUP_FIELDS, f"fagområdet {key.value}", at=key)
        if fields is None:
            return None
        self.missing(fields, _GROUP_FIELDS, f"fagområdet {key.value}")
        name = fields.parse("navn", self.text)
        if name is not None and registry.area_id(name) is not None:
            self.flag(fields.found["navn"][1], "navn", _taken(name, registry.area_id(name)))
            name = None
        members = fields.parse("paragraffer", self.members)
        if group_id is None or name is None or members is None:
            return None
        self.name_nodes[group_id] = fields.found["navn"][1]
        return registry.AreaGroup(group_id, name, members)

    def group_id(self, key: ScalarNode) -> str | None:
        written = str(key.value).strip()
        if not _GROUP_ID.fullmatch(written):
            self.flag(
                key,
                None,
                f"'{written}' kan ikke være et fagområdes nøgle – brug bogstaver, tal, _ og -, "
                "fx 'botilbud_bpa'",
            )
            return None
        if registry.area_id(written) is not None:
            self.flag(key, None, _taken(written, registry.area_id(written)))
            return None
        return written

    def members(self, field: Field) -> tuple[registry.GroupMember, ...] | None:
        key, node = field
        items = node.value if isinstance(node, SequenceNode) else [node]
        if isinstance(node, SequenceNode) and not items:
            self.flag(node, key.value, "listen er tom – skriv mindst én paragraf")
            return None
        members = [self.member((key, item)) for item in items]
        if None in members:
            return None
        found = [member for member in members if member is not None]
        seen: dict[str, int] = {}
        for item, member in zip(items, found, strict=True):
            if member.provision in seen:
                line = seen[member.provision]
                message = f"{member.provision} står to gange (også på linje {line})"
                self.flag(item, key.value, message)
            seen.setdefault(member.provision, item.start_mark.line + 1)
        return tuple(found)

    def member(self, field: Field) -> registry.GroupMember | None:
        node = field[1]
        if not isinstance(node, MappingNode):
            provision = self.provision(field)
            return None if provision is None else registry.GroupMember(provision)
        fields = self.fields(node, _MEMBER_FIELDS, "en paragraf")
        if fields is None:
            return None
        self.missing(fields, ("paragraf",), "paragraffen")
        provision = fields.parse("paragraf", self.provision)
        first = fields.parse("fra", self.year)
        last = fields.parse("til", self.year)
        if first is not None and last is not None and first > last:
            self.flag(fields.found["til"][1], "til", f"'til' ({last}) ligger før 'fra' ({first})")
            return None
        return None if provision is None else registry.GroupMember(provision, first, last)

    def provision(self, field: Field) -> str | None:
        written = self.text(field)
        if written is None:
            return None
        try:
            return registry.provision_id(written)
        except OmgError as error:
            self.flag(field[1], field[0].value, str(error))
            return None

    def check_names(self, groups: list[registry.AreaGroup]) -> None:
        """No two groups may share a name (nor a group an area's, see `group`): a name
        must pick out one thing wherever a user writes it."""
        named: dict[str, str] = {}
        for group in groups:
            if fold(group.name) in named:
                other = named[fold(group.name)]
                message = f"fagområdet {other} hedder også '{group.name}'"
                self.flag(self.name_nodes[group.id], "navn", message)
            named.setdefault(fold(group.name), group.id)


def _taken(written: str, area: str | None) -> str:
    return (
        f"'{written}' er allerede navnet på ministeriets område {area} – giv fagområdet et "
        "andet navn"
    )
