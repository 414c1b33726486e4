"""MkDocs hook: resolve the search plugin's jieba dictionary paths against mkdocs.yml's folder.

Material's search plugin opens `jieba_dict` / `jieba_dict_user` relative to the working
directory (material/plugins/search/plugin.py, on_config), so `mkdocs build -f other/mkdocs.yml`
or a build started from another folder would not find content/.jieba_userdict.txt.
This runs before the plugin's on_config and makes the paths absolute.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.plugins import event_priority

SEARCH_PLUGINS = ("material/search", "search")


@event_priority(100)  # before Material's search plugin loads the dictionaries
def on_config(config: Any, **kwargs: Any) -> Any:
    base = os.path.dirname(os.path.abspath(config.config_file_path))
    for name in SEARCH_PLUGINS:
        plugin = config.plugins.get(name)
        if plugin is None:
            continue
        for key in ("jieba_dict", "jieba_dict_user"):
            value = plugin.config.get(key)
            if value and not os.path.isabs(value):
                plugin.config[key] = os.path.join(base, value)
    return config
