"""MkDocs hook: rewrite search/search_index.json as UTF-8 (Material writes \\uXXXX escapes).

The file shrinks to about 55 % (mkdocs-notes.md §0.6); browsers parse both forms the same way.
"""

from __future__ import annotations

import json
import os
from typing import Any

from mkdocs.plugins import event_priority


@event_priority(-200)  # after Material's search plugin has written the index
def on_post_build(config: Any, **kwargs: Any) -> None:
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
