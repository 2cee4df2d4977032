"""The domain's reference data: the 98 kommuner, the areas and their provisions per year.

All of it is read from data files in `omglib/data/` (each notes its source), so a new
alias, a renamed kommune or a provision moving between laws is a data change, not a code
change. Lookups fold spelling (see `names.fold`) and answer unknown names with a
"mente du ...?" suggestion.

Import from here; the parts are `data` (reading the data files), `kommune` (kommuner by
code or name), `area` (areas and their provisions), `provision` (a written provision
resolved to its id), `series` (a provision's series across a move between laws), `group`
(a kommune's own groups of provisions) and `learninglists` (the learning loop's coded
lists).
"""

from __future__ import annotations

from omglib.registry.area import (
    SOCIAL_AREA,
    Area,
    area_id,
    area_name,
    area_provisions,
    area_series_note,
    area_text,
    areas,
    handicap_area,
    resolve_area,
)
from omglib.registry.data import aliases, provisions
from omglib.registry.group import (
    AreaGroup,
    GroupMember,
    area_group,
    area_groups,
    use_area_groups,
)
from omglib.registry.kommune import (
    all_kommune_codes,
    is_national,
    is_total_label,
    kommune_code,
    kommune_codes,
    kommune_hint,
    kommune_name,
    kommuner,
    not_kommune_kind,
    unknown_kommune_message,
)
from omglib.registry.learninglists import (
    follow_up_labels,
    follow_ups,
    reasons,
    unknown_label_message,
)
from omglib.registry.provision import (
    Provision,
    provision_id,
    provision_label,
    resolve_provision,
)
from omglib.registry.series import provisions_in_year, series_note

__all__ = [
    "SOCIAL_AREA",
    "Area",
    "AreaGroup",
    "GroupMember",
    "Provision",
    "aliases",
    "all_kommune_codes",
    "area_group",
    "area_groups",
    "area_id",
    "area_name",
    "area_provisions",
    "area_series_note",
    "area_text",
    "areas",
    "follow_up_labels",
    "follow_ups",
    "handicap_area",
    "is_national",
    "is_total_label",
    "kommune_code",
    "kommune_codes",
    "kommune_hint",
    "kommune_name",
    "kommuner",
    "not_kommune_kind",
    "provision_id",
    "provision_label",
    "provisions",
    "provisions_in_year",
    "reasons",
    "resolve_area",
    "resolve_provision",
    "series_note",
    "unknown_kommune_message",
    "unknown_label_message",
    "use_area_groups",
]
