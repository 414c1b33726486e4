"""MkDocs hook: fold the white space between the tags of every built page.

Material's templates indent their markup for people reading the templates, not the pages: a
report page carried about 6 KB of indentation and empty lines (a tenth of the site's HTML
bytes). Outside <pre>, <textarea>, <script> and <style>, a run of white space that holds a
line break renders as one space (CSS `white-space: normal`, the only setting the theme and
the portal give elements that are not those), so it is written as one line break: the page
looks the same and reads the same to a screen reader, in fewer bytes. No page holds an
attribute value that spans lines (tests/test_compact.py). Same page in, same bytes out.
Also, in `env`, the templates' JSON without escapes of Chinese (on_env).
"""

from __future__ import annotations

import re

KEPT = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
"""Elements whose white space is kept as it is."""
RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
"""A run of HTML white space (not U+00A0 or U+3000, which are text) with a line break."""


def on_env(env, config, files):
    """The JSON the templates write into every page (Material's configuration and
    translations, the search box's strings) keeps Chinese as UTF-8, not as \\uXXXX escapes
    of six bytes a character: about 0.4 KB a report page (with the palette script left out
    by overrides/partials/header.html, 38,619 -> 37,480 bytes). Jinja's tojson still
    escapes <, >, & and ' (it is read inside <script>)."""
    env.policies["json.dumps_kwargs"] = {
        **env.policies.get("json.dumps_kwargs", {}),
        "ensure_ascii": False,
    }
    return env


def on_post_page(output: str, page, config) -> str:
    return compact(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The theme's own pages (404.html); sitemap.xml is left as MkDocs writes it."""
    return compact(output_content) if template_name.endswith(".html") else output_content


def compact(page: str) -> str:
    """The page with each white-space run holding a line break, outside KEPT elements,
    written as one line break."""
    parts = KEPT.split(page)  # [text, kept element, its tag name, text, ...]
    folded = []
    for index in range(0, len(parts), 3):
        folded.append(RUN.sub("\n", parts[index]))
        if index + 1 < len(parts):
            folded.append(parts[index + 1])
    return "".join(folded)
