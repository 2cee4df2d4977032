"""A kommune's own alert rule for the running figure (`omglib.learning.running`): when to
warn, per area, in a YAML file the kommune writes.

```yaml
# Varsling for Norddjurs Kommune
boernehandicap:
  over: 40 %            # varsl, når den løbende omgørelsesprocent er signifikant over 40 %
  over_sidste_aar: ja   # varsl, når den er signifikant over samme periode sidste år
socialomraadet:
  over: 35 %
```

Areas in any spelling the registry knows; each with `over` (a percentage), `over_sidste_aar`
(ja or nej), or both. "Significantly" is the exact test of `omglib.stats` at the 5 %
level, so a rule does not fire on the chance of a few cases. The file is read like the
handleplan (`omglib.io.yamlfile`): every problem at once, by line and field, with
"mente du ...?" for a misspelt field or area.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode

from omglib import registry, stats
from omglib.errors import DataError
from omglib.formats import listed
from omglib.io.yamlfile import Field, LineProblem, YamlReader, compose
from omglib.learning.handleplan import parse_threshold
from omglib.learning.running import RunningFigures
from omglib.present import danish

_RULE_FIELDS: Final = ("over", "over_sidste_aar")
_YES_NO: Final = {"ja": "ja", "nej": "nej", "true": "ja", "false": "nej"}


@dataclass(frozen=True)
class AreaRule:
    """When to warn for one area: above `over` (a share), and/or above last year."""

    area: str
    over: float | None = None
    over_last_year: bool = False


@dataclass(frozen=True)
class Alert:
    """A rule that fired: the area, what it was set to and the Danish sentence saying so."""

    area: str
    text: str


def read_alert_rules(path: str | Path) -> dict[str, AreaRule]:
    """The alert rules of a YAML file, by area id; DataError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise DataError([LineProblem(str(path), None, None, None, "filen findes ikke")])
    reader = _Reader(path.name)
    root = compose(path.read_bytes(), path.name)
    if not isinstance(root, MappingNode) or not root.value:
        message = "forventede et område pr. linje, fx 'boernehandicap:' med 'over: 40 %' under"
        raise DataError(reader.problems or [LineProblem(path.name, None, None, None, message)])
    rules = [reader.rule(field) for field in root.value]
    if reader.problems:
        raise DataError(reader.problems)
    return {rule.area: rule for rule in rules if rule is not None}


class _Reader(YamlReader):
    """Reads alert rules: areas as keys, each with its thresholds."""

    def rule(self, field: Field) -> AreaRule | None:
        key, node = field
        area = self.area((key, key))  # the area is the rule's key
        fields = self.fields(node, _RULE_FIELDS, f"en regel for {key.value}", at=key)
        if area is None or fields is None:
            return None
        if not fields.found and not fields.guessed:
            self.flag(key, None, f"reglen for {key.value} mangler {listed(_RULE_FIELDS, 'eller')}")
            return None
        over = fields.parse("over", self.share)
        last_year = fields.parse("over_sidste_aar", self.yes_no)
        return AreaRule(area, over, bool(last_year))

    def share(self, field: Field) -> float | None:
        written = self.text(field)
        if written is None:
            return None
        try:
            return parse_threshold(written, "rate")
        except ValueError as error:
            self.flag(field[1], field[0].value, f"'{written}' {error}")
            return None

    def yes_no(self, field: Field) -> bool | None:
        answer = self.choice(field, _YES_NO, "svar", "Forventede ja eller nej.")
        return None if answer is None else answer == "ja"


def fired(figures: RunningFigures, rule: AreaRule) -> list[Alert]:
    """The alerts the rule gives on the running figures: none when nothing is
    significantly above what the rule names."""
    so_far = figures.so_far
    overturned, cases = int(so_far["omgjort"]), int(so_far["realitetsbehandlede"])
    alerts = []
    if rule.over is not None:
        test = stats.compare_to_reference(overturned, cases, rule.over)
        if test.verdict is stats.Verdict.ABOVE_REFERENCE:
            alerts.append(Alert(figures.area, _over_text(figures, rule.over)))
    rising = figures.change is not None and figures.change.verdict is stats.Verdict.INCREASE
    if rule.over_last_year and rising:
        alerts.append(Alert(figures.area, _last_year_text(figures)))
    return alerts


def _over_text(figures: RunningFigures, threshold: float) -> str:
    return (
        f"Varsel: {registry.area_text(figures.area)} har en løbende omgørelsesprocent på "
        f"{_rate(figures)}, signifikant over kommunens grænse på "
        f"{danish.format_pct(threshold, decimals=0)}."
    )


def _last_year_text(figures: RunningFigures) -> str:
    assert figures.last_year is not None
    before = danish.format_counts(
        int(figures.last_year["omgjort"]), int(figures.last_year["realitetsbehandlede"])
    )
    return (
        f"Varsel: {registry.area_text(figures.area)} har en løbende omgørelsesprocent på "
        f"{_rate(figures)}, signifikant over samme periode sidste år ({before})."
    )


def _rate(figures: RunningFigures) -> str:
    so_far = figures.so_far
    counts = danish.format_counts(int(so_far["omgjort"]), int(so_far["realitetsbehandlede"]))
    return f"{danish.format_pct(so_far['omgoerelsesprocent'])} ({counts})"
