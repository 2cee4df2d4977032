"""Shared assets (`--assets shared`): what every report page of a batch would otherwise
carry itself, written once per output folder and referenced relatively.

By default a report is one self-contained file: about 1 MB of it is the Vega JavaScript
and 0,15 MB the map's kommune shapes, the same in every report of an area and year. With
shared assets the page refers to `_omg/vega-<key>.js` and `_omg/data-<key>.js` instead,
so a published report is a fifth of the size. The pages still work offline, opened from
disk: the files are plain `<script src>` (a browser loads those from `file://`, while
`fetch` of a data URL would be refused), and the names hold a hash of the content, so a
changed file gets a new name and a page never draws with another page's data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final

ASSET_FOLDER: Final = "_omg"
"""The folder under the output folder that holds the shared files."""
SHARED_DATA_CHARS: Final = 10_000
"""Inline data (JSON text, as the map's shapes) at least this long goes to a shared file."""
NAME_PREFIX: Final = "omg-"

#: Draws every figure on the page as `render.EMBED_SNIPPET` does, first putting back the
#: datasets a figure's spec names in `usermeta.omgData` from the shared data files.
SHARED_SNIPPET = """
const formatLocale = %s;
const shared = window.omgData || {};
for (const node of document.querySelectorAll("script.omg-spec")) {
  const target = node.previousElementSibling;
  const spec = JSON.parse(node.textContent);
  for (const name of (spec.usermeta && spec.usermeta.omgData) || []) {
    spec.datasets = Object.assign({}, spec.datasets, {[name]: shared[name]});
  }
  vegaEmbed(target, spec, {
    actions: false, renderer: "svg", formatLocale: formatLocale
  }).catch((error) => {
    target.textContent = "Figuren kunne ikke tegnes: " + error;
    console.error(error);
  });
}
"""


@dataclass
class SharedAssets:
    """The shared files one report page refers to, collected while it is rendered.

    `prefix` leads from the page's folder to the output folder ("../../" for
    `2024/boernehandicap/707-norddjurs.html`); `files` maps each file's path under the
    output folder to its content."""

    prefix: str
    files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def for_page(cls, page: PurePosixPath) -> SharedAssets:
        """The assets of the page at `page` (relative to the output folder)."""
        return cls("../" * (len(page.parts) - 1))

    def add(self, stem: str, content: str) -> str:
        """Keep `content` as `_omg/<stem>-<hash>.js` and return its URL from the page."""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
        path = f"{ASSET_FOLDER}/{stem}-{digest}.js"
        self.files[path] = content.encode("utf-8")
        return self.prefix + path

    def data_urls(self) -> list[str]:
        """The page's data files, to load before the figures are drawn."""
        return [self.prefix + path for path in sorted(self.files) if "/data-" in path]

    def externalised(self, spec: dict[str, Any]) -> dict[str, Any]:
        """`spec` with each long inline JSON text (a map layer's shapes) replaced by a
        named dataset that lives in a shared data file."""
        names: list[str] = []
        shared: dict[str, Any] = _replaced_data(spec, lambda text: self._dataset(text, names))
        if names:
            usermeta = {**shared.get("usermeta", {}), "omgData": names}
            shared = {**shared, "usermeta": usermeta}
        return shared

    def _dataset(self, text: str, names: list[str]) -> dict[str, str]:
        name = NAME_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        script = f"(window.omgData = window.omgData || {{}})[{json.dumps(name)}] = {text};\n"
        self.add("data", script)
        names.append(name)
        return {"name": name}


def _replaced_data(value: Any, replace: Any) -> Any:
    """A copy of a spec in which every `data` block holding a long JSON text is replaced
    by `replace(text)`."""
    if isinstance(value, list):
        return [_replaced_data(item, replace) for item in value]
    if not isinstance(value, dict):
        return value
    copied = {}
    for key, item in value.items():
        text = item.get("values") if key == "data" and isinstance(item, dict) else None
        if isinstance(text, str) and len(text) >= SHARED_DATA_CHARS:
            copied[key] = replace(text)
        else:
            copied[key] = _replaced_data(item, replace)
    return copied
