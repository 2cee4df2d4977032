"""Report HTML from templates: one Jinja2 environment for every fragment omglib writes.

The fragments (tables, the knowledge bank, the action plan, the footer, figures) are
small templates in `omglib/present/templates/`, one per fragment, rendered with
autoescaping on, so text from users (learning points, plan text, a kommune's own reason
names) is escaped the same way everywhere. Values that are already HTML (a rendered
fragment, an SVG) travel as `markupsafe.Markup` and are left as they are.

Whitespace: the templates are written over several lines for reading, but the fragments
have no line breaks of their own; every break between tags is removed with `{%-`/`-%}`.
"""

from __future__ import annotations

from typing import Any, Final

import jinja2
from markupsafe import Markup

ENVIRONMENT: Final = jinja2.Environment(
    loader=jinja2.PackageLoader("omglib.present", "templates"),
    autoescape=jinja2.select_autoescape(
        enabled_extensions=("html.j2",), default_for_string=True, default=True
    ),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def render(template: str, **context: Any) -> Markup:
    """The fragment `template` (a file in `omglib/present/templates/`) with `context`."""
    return Markup(ENVIRONMENT.get_template(template).render(**context))
