"""Report HTML from templates: one Jinja2 environment for every fragment omglib writes.

The fragments (tables, the knowledge bank, the action plan, the footer, figures) are
small templates in `omglib/present/templates/`, one per fragment, rendered with
autoescaping on, so text from users (learning points, plan text, a kommune's own reason
names) is escaped the same way everywhere. Values that are already HTML (a rendered
fragment, an SVG) travel as `markupsafe.Markup` and are left as they are.
JSON inside a `<script>` (a figure's Vega-Lite spec) goes through `script_json`, and user
text put into a Markdown sentence through `user_text`.

Whitespace: the templates are written over several lines for reading, but the fragments
have no line breaks of their own; every break between tags is removed with `{%-`/`-%}`.
"""

from __future__ import annotations

import json
from typing import Any, Final

import jinja2
from markupsafe import Markup, escape

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


def script_json(value: Any) -> Markup:
    """`value` as JSON to put inside a `<script>` element (the `script_json` filter):
    `<`, `>` and `&` written as \\u003c, \\u003e and \\u0026, so no text in it (a reason
    named "</script>", "<!--") can end or change the script, and `JSON.parse` gives the
    text back. Keys keep their order. Like Jinja's `tojson`, which also writes `'` as
    \\u0027; that is needed only in single-quoted attributes, never inside a script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


ENVIRONMENT.filters["script_json"] = script_json


def user_text(text: str) -> str:
    """Text a user wrote (a file name, a label) for a Markdown sentence, escaped as the
    templates escape it: Markdown passes HTML through, so without this a file named
    "<b>.csv" would add markup to the report."""
    return str(escape(text))


def render(template: str, **context: Any) -> Markup:
    """The fragment `template` (a file in `omglib/present/templates/`) with `context`."""
    return Markup(ENVIRONMENT.get_template(template).render(**context))
