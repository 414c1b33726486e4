"""The white-space folding hook (overrides/hooks/compact.py) on built pages: fewer bytes, the
same text and elements, <pre>/<script> untouched."""

from __future__ import annotations

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compact", ROOT / "overrides/hooks/compact.py")
assert _spec is not None and _spec.loader is not None
compact_hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compact_hook)


class _Reading(HTMLParser):
    """What a browser lays out: the tags with their attributes, and the text with each run
    of HTML white space as one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[object] = []
        self.text = ""

    def _flush(self) -> None:
        if self.text:
            self.items.append(re.sub(r"[ \t\r\n\f]+", " ", self.text))
            self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.items.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.items.append(("/", tag))

    def handle_data(self, data: str) -> None:
        self.text += data


def _read(page: str) -> list[object]:
    reading = _Reading()
    reading.feed(page)
    reading.close()
    reading._flush()
    return reading.items


def test_folding_keeps_text_tags_and_preformatted_elements() -> None:
    page = (
        "<div>\n    <p>伊美区 \n\n   人民政府</p>\n  <span>a</span>\n<span>b</span>\u3000\n"
        "<pre>  一\n    二\n</pre>\n   <script>var a = 1;\n    var b = 2;</script>\n"
        "<textarea>\n  x\n</textarea>  </div>\n"
    )
    folded = compact_hook.compact(page)
    assert folded == (
        "<div>\n<p>伊美区\n人民政府</p>\n<span>a</span>\n<span>b</span>\u3000\n"
        "<pre>  一\n    二\n</pre>\n<script>var a = 1;\n    var b = 2;</script>\n"
        "<textarea>\n  x\n</textarea>  </div>\n"
    )
    assert _read(folded) == _read(page)
    assert compact_hook.compact(folded) == folded
