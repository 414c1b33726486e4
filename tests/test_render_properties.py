"""Property test for the renderer: arbitrary Unicode in every text a report controls never
crashes rendering and never becomes markup (script, event handler, javascript: URL, raw HTML)."""

from __future__ import annotations

import copy
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from conftest import REPORTS, examples, page_text, parse_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import RULES, check_record
from generator.model import Record
from generator.model.corpus import Corpus
from generator.render import render_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPORTS / "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
BASE = parse_file(SAMPLE, "河南省/平顶山市/卫东区/report.txt").to_dict()
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition"]
DANGEROUS = [
    "<script>",
    "<img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "<iframe>",
    "{{ 7*7 }}",
    "{% raw %}",
    '--8<-- "/etc/passwd"',
    "\n# h\n",
    "| a | b |\n|---|---|",
    "`",
    "]]>",
]
TEXT = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(DANGEROUS)), max_size=6).map(
    "".join
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "img", "object", "embed"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(
                ("javascript:", "data:")
            ):
                self.bad.append(f"{tag}[{name}]")


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=TEXT, overview=TEXT, other=TEXT, agency=TEXT, warning=TEXT)
def test_arbitrary_report_text_renders_inert(
    tmp_path_factory, title, overview, other, agency, warning
):
    record = copy.deepcopy(BASE)
    record["title"] = title
    record["agency"]["name"] = agency or None
    record["sections"]["overview"] = overview
    record["sections"]["other"] = other
    record["parse"]["warnings"].append(
        {
            "code": "bad-number",
            "message": warning,
            "line": 1,
            "where": "requests.granted.total",
            "text": warning,
        }
    )
    typed = Record.from_dict(record)
    corpus = Corpus(records=(dataclasses.replace(typed, checks=tuple(check_record(typed))),))
    content = tmp_path_factory.mktemp("render")
    render_site(corpus, RULES, content)
    for path in content.rglob("*.md"):
        text = page_text(path)
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter is YAML, not HTML
        html = markdown.markdown(body, extensions=EXTENSIONS)
        parser = _Tags()
        parser.feed(html)
        assert parser.bad == [], (path.name, parser.bad)
        assert not re.search(r"^--8<--", body, re.M), path.name
