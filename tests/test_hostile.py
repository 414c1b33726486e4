"""Nothing lost, nothing injected: hostile and broken inputs never crash the build, every input
is accounted for, records stay safe data, and report text reaches the pages as literal text.

The corpus is written at test time by tests/hostile/make_corpus.py (once per session, with the
50 MB file), from the sample reports in reports/.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import page_text, parse_file

from generator.errors import SourceError
from generator.ingest import MAX_BYTES, read_document
from generator.model.corpus import Superseded
from generator.pipeline import load_corpus
from generator.record import record_to_yaml, yaml_text

HOSTILE = Path(__file__).parent / "hostile"
ID = re.compile(r"^[a-z0-9-]+/\d{4}$")


def _load_maker():
    spec = importlib.util.spec_from_file_location("hostile_make_corpus", HOSTILE / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("hostile_make_corpus", module)
    spec.loader.exec_module(module)
    return module


mc = _load_maker()
CASES = mc.CASES
pytestmark = pytest.mark.formats  # writes PDFs, a DOCX and a 50 MB file


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    pytest.importorskip("reportlab")
    pytest.importorskip("PIL")
    out = tmp_path_factory.mktemp("hostile") / "reports"
    mc.build(out, huge=True)  # the 50 MB file is written once per session
    return out


@pytest.fixture(scope="session")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


def _record_from(corpus, role: str) -> dict:
    """The record of one case, in its published form."""
    found = [r for r in corpus.records if r.source.file == CASES[role]]
    assert len(found) == 1, f"{CASES[role]} did not become a record: {corpus.failures}"
    return found[0].to_dict()


def _failure_of(corpus, role: str):
    found = [f for f in corpus.failures if f.file == CASES[role]]
    assert len(found) == 1, f"{CASES[role]} is not listed as a failure"
    return found[0]


def _original(role: str) -> dict:
    path = mc.original_of(role)
    return parse_file(path, path.relative_to(mc.REPORTS).as_posix()).to_dict()


# ---- 1. every input is accounted for, with a reason a person can act on ---------------------


def test_every_input_is_a_record_or_a_failure(corpus):
    assert corpus.inputs == len(CASES)
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)
    seen = (
        [r.source.file for r in corpus.records]
        + [f.file for f in corpus.failures]
        + [s.file for s in corpus.superseded]
    )
    assert sorted(seen) == sorted(CASES.values())


EXPECTED_FAILURES = {
    "empty": "空文件（0 字节）：请放入报告的完整文件",
    "binary": "不是文本文件（内容为二进制）：请把报告保存为 .txt、.docx、.pdf 或 .html",
    "binary_hostile_name": "不是文本文件（内容为二进制）：请把报告保存为 .txt、.docx、.pdf 或 .html",
    "truncated_pdf": "PDF 文件已损坏（",
    "encrypted_pdf": "PDF 已加密：请向发布机关索取未加密的版本，或去除密码后重新放入",
    "scanned_pdf": "扫描版 PDF，没有文字层",
    "zip_docx": "不是 Word 文档（.docx 压缩包中没有 word/document.xml）",
    "huge": "文件有 50 MB，超过 20 MB 的文件不读取",
}


@pytest.mark.parametrize("role", sorted(EXPECTED_FAILURES))
def test_failure_reason(corpus, role):
    failure = _failure_of(corpus, role)
    assert failure.reason.startswith(EXPECTED_FAILURES[role])
    assert failure.format == Path(CASES[role]).suffix.lstrip(".")
    assert failure.kind == "unreadable"


def test_only_the_expected_inputs_fail(corpus):
    assert sorted(f.file for f in corpus.failures) == sorted(CASES[r] for r in EXPECTED_FAILURES)
    for failure in corpus.failures:
        reason = failure.reason
        assert len(reason) > 10 and reason.strip() == reason, failure
        assert "程序出错" not in reason and "Traceback" not in reason, failure


def test_truncated_pdf_reason_names_the_problem(corpus):
    reason = _failure_of(corpus, "truncated_pdf").reason
    assert len(reason) > len("PDF 文件已损坏（）：请重新下载") + 3


def test_superseded_keeps_the_newer_by_date(corpus):
    kept = [r for r in corpus.records if r.id == "yi-jiaxiang-renminzhengfu/2020"]
    assert len(kept) == 1
    assert kept[0].source.file == CASES["dup_newer"]
    assert kept[0].published == "2021-01-20"
    assert corpus.sources[kept[0].key].name == Path(CASES["dup_newer"]).name


def test_superseded_is_a_previous_version_not_a_failure(corpus):
    kept = next(r for r in corpus.records if r.id == "yi-jiaxiang-renminzhengfu/2020")
    assert corpus.superseded == (
        Superseded(
            file=CASES["dup_older"], format="txt", id=kept.key, superseded_by=CASES["dup_newer"]
        ),
    )
    assert [v.file for v in kept.previous_versions] == [CASES["dup_older"]]
    assert CASES["dup_older"] not in [f.file for f in corpus.failures]


# ---- 2. no input crashes a reader or the parser ------------------------------------------------


@pytest.mark.parametrize("role", sorted(CASES))
def test_no_crash(corpus_dir, role):
    """The pipeline turns unexpected exceptions into 程序出错 failures; call the parser
    directly so any exception other than SourceError fails here."""
    path = corpus_dir / CASES[role]
    try:
        record = parse_file(path, CASES[role])
    except SourceError as error:
        assert error.reason and error.path == CASES[role]
        return
    assert ID.match(record.key)


def test_huge_file_is_refused_without_reading_it(corpus_dir, monkeypatch):
    path = corpus_dir / CASES["huge"]
    assert path.stat().st_size == mc.HUGE_BYTES > MAX_BYTES

    def no_reading(self, *args, **kwargs):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SourceError) as info:
            read_document(path, CASES["huge"])
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (
        info.value.reason
        == "文件有 50 MB，超过 20 MB 的文件不读取：年度报告不会这么大，请检查是否放错了文件"
    )
    assert peak < 2 * 1024 * 1024
    assert elapsed < 1.0


# ---- the hostile-text report: values right, payload kept as text ----------------------------------


def test_hostile_report_values_match_the_original(corpus):
    record, original = _record_from(corpus, "hostile"), _original("hostile")
    for key in (
        "id",
        "year",
        "edition",
        "period",
        "published",
        "contact",
        "proactive",
        "requests",
        "appeals",
    ):
        assert record[key] == original[key], key
    assert record["agency"]["name"] == original["agency"]["name"] == "卫东区政府办"
    assert record["agency"]["region"] == original["agency"]["region"]
    assert [h["section"] for h in record["parse"]["headings"]] == [
        h["section"] for h in original["parse"]["headings"]
    ]
    codes = {(w["code"], w["where"]) for w in record["parse"]["warnings"]}
    assert codes == {(w["code"], w["where"]) for w in original["parse"]["warnings"]}


def test_url_inside_pasted_html_is_not_the_agency_website(corpus):
    """Fix in generator/parse/facts.py: `<iframe src="https://evil.example/">` made
    contact.website https://evil.example/."""
    assert _record_from(corpus, "hostile")["contact"] is None
    from generator.parse.facts import find_contact

    assert find_contact([mc.IFRAME, '<a href="mailto:x@evil.example">信箱</a>']) is None
    assert (
        find_contact(["网站：<http://www.sysjs.gov.cn/>"])["website"] == "http://www.sysjs.gov.cn/"
    )


def _kept_payloads() -> list[str]:
    """Payload lines as the record must keep them: ingest reads `# x` as a heading (text x)
    and drops a bare Markdown table separator row; indentation is not content."""
    kept = []
    for line in mc.PAYLOAD_LINES:
        if line == "|---|---|":
            continue
        kept.append(line[2:] if line.startswith("# ") else line.strip())
    return kept


@pytest.mark.parametrize("section", ["overview", "problems"])
def test_hostile_text_is_kept_verbatim(corpus, section):
    record = _record_from(corpus, "hostile")
    assert record["title"] == "卫东区政府办2021年政府信息公开工作年度报告" + mc.SCRIPT + mc.JINJA
    paragraphs = record["sections"][section].split("\n\n")
    for payload in _kept_payloads():
        if payload == "表格破坏 |---|---| 结束":
            continue  # see test_running_text_with_pipes_is_kept
        assert payload in paragraphs, payload
    if section == "overview":
        assert any(p.endswith(mc.INLINE_PAYLOAD) for p in paragraphs)


def test_running_text_with_pipes_is_kept(corpus):
    assert "表格破坏 |---|---| 结束" in _record_from(corpus, "hostile")["sections"]["overview"]


def test_gbk_report_parses_like_the_utf8_original(corpus):
    record, original = _record_from(corpus, "gbk"), _original("gbk")
    for key in (
        "id",
        "agency",
        "year",
        "edition",
        "title",
        "period",
        "contact",
        "sections",
        "proactive",
        "requests",
        "appeals",
    ):
        assert record[key] == original[key], key
    assert any(
        w["code"] == "encoding-guessed" and "gb18030" in w["message"]
        for w in record["parse"]["warnings"]
    )


def test_report_without_tables_is_a_record_with_missing_table_warnings(corpus):
    record = _record_from(corpus, "no_tables")
    assert record["id"] == "jianshanqu-renminzhengfu/2021"
    assert record["proactive"] is None and record["requests"] is None
    missing = {w["where"] for w in record["parse"]["warnings"] if w["code"] == "missing-table"}
    assert {"proactive", "requests"} <= missing
    assert record["sections"]["overview"]


# ---- 3. records are safe data --------------------------------------------------------------------


def test_record_ids_are_safe_for_odd_names(corpus):
    for record in corpus.records:
        assert ID.match(record.key), record.id
    odd = _record_from(corpus, "odd_names")
    # the title keeps what it prints; an agency name is never made of emoji and quotes, so the
    # name is the one the report's text gives
    assert odd["title"].startswith('宜阳县人民政府办公室😀"引号"..')
    assert odd["agency"]["name"] == "宜阳县人民政府办公室"
    assert odd["id"].endswith("/2021") and "." not in odd["id"]
    assert odd["agency"]["region"] == {
        "province": "河南省",
        "city": "洛阳市",
        "county": "宜阳县",
        "township": None,
    }
    assert odd["requests"] == _original("odd_names")["requests"]


def test_record_yaml_round_trips_exactly(corpus):
    for record in corpus.records:
        text = record_to_yaml(record)
        assert yaml.safe_load(text) == record.to_dict(), record.id
    hostile = _record_from(corpus, "hostile")
    assert (
        yaml.safe_load(yaml_text(hostile))["sections"]["overview"]
        == hostile["sections"]["overview"]
    )


def test_failures_round_trip_as_yaml(corpus):
    listed = [f.to_dict() for f in corpus.failures]
    text = yaml.safe_dump(listed, allow_unicode=True)
    assert yaml.safe_load(text) == listed


# ---- 5. determinism -----------------------------------------------------------------------------------


def test_parsing_twice_gives_identical_yaml(corpus_dir, corpus):
    again = load_corpus(corpus_dir)
    assert [record_to_yaml(r) for r in again.records] == [record_to_yaml(r) for r in corpus.records]
    assert again.failures == corpus.failures


def test_corpus_files_are_deterministic(tmp_path):
    pytest.importorskip("reportlab")
    first, second = mc.build(tmp_path / "a"), mc.build(tmp_path / "b")
    for role in first:
        assert first[role].read_bytes() == second[role].read_bytes(), role


# ---- 4. rendering: nothing escapes content/, nothing becomes markup -------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.code: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_code += tag in {"code", "pre"}

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_code -= tag in {"code", "pre"} and self._in_code > 0

    def handle_data(self, data):
        self.text.append(data)
        if self._in_code:
            self.code.append(data)


def _html(markdown_text: str) -> str:
    import markdown

    return markdown.markdown(
        markdown_text, extensions=["tables", "attr_list", "md_in_html", "admonition"]
    )


def _split_front_matter(text: str) -> tuple[dict | None, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        assert end > 0, "unclosed front matter"
        meta = yaml.safe_load(text[4:end])
        assert meta is None or isinstance(meta, dict)
        return meta, text[end + 5 :]
    return None, text


SNIPPET_LINE = re.compile(r"^\s*;?-+8<-+", re.MULTILINE)


@pytest.fixture(scope="session")
def rendered(corpus_dir, tmp_path_factory):
    from generator import render
    from generator.check import RULES
    from generator.pipeline import check_corpus_records

    corpus = check_corpus_records(load_corpus(corpus_dir), None)
    parent = tmp_path_factory.mktemp("render")
    content = parent / "project" / "content"
    content.mkdir(parents=True)
    (parent / "sentinel.txt").write_text("untouched", "utf-8")
    reports_before = sorted((p.as_posix(), p.stat().st_size) for p in corpus_dir.rglob("*"))
    before = set(parent.rglob("*"))
    render.render_site(corpus, RULES, content)
    after = set(parent.rglob("*"))
    pages = {p.relative_to(content).as_posix(): page_text(p) for p in content.rglob("*.md")}
    reports_after = sorted((p.as_posix(), p.stat().st_size) for p in corpus_dir.rglob("*"))
    return {
        "content": content,
        "parent": parent,
        "new": after - before,
        "pages": pages,
        "corpus": corpus,
        "reports_unchanged": reports_before == reports_after,
    }


def test_render_writes_only_inside_content(rendered):
    content = rendered["content"].resolve()
    outside = [
        p for p in rendered["new"] if p.resolve() != content and content not in p.resolve().parents
    ]
    assert outside == [content.parent] or outside == []  # the project folder the test made
    assert (rendered["parent"] / "sentinel.txt").read_text("utf-8") == "untouched"
    assert rendered["reports_unchanged"]
    for path in rendered["content"].rglob("*"):
        assert not path.is_symlink()
    assert rendered["pages"], "render_site wrote no Markdown page"


def test_rendered_pages_contain_no_active_markup(rendered):
    for name, text in rendered["pages"].items():
        meta, body = _split_front_matter(text)
        if meta:
            assert "key" not in meta, name
        html = _html(body)
        lowered = html.lower()
        assert "<script" not in lowered, name
        assert "<iframe" not in lowered, name
        assert not re.search(r"<[^>]*\bonerror\s*=", lowered), name
        parser = _Html()
        parser.feed(html)
        for tag, attrs in parser.tags:
            assert tag not in {"script", "iframe", "object", "embed", "style"}, (name, tag)
            for attr, value in attrs:
                assert not attr.startswith("on"), (name, tag, attr)
                if attr in {"href", "src", "action", "formaction", "data"} and value:
                    assert (
                        not re.sub(r"\s", "", value)
                        .lower()
                        .startswith(("javascript:", "data:", "vbscript:"))
                    ), (name, value)


def test_snippet_lines_are_neutralised(rendered):
    for name, text in rendered["pages"].items():
        assert not SNIPPET_LINE.search(text), name


def _hostile_page(rendered) -> tuple[str, str]:
    hits = [
        (name, text)
        for name, text in rendered["pages"].items()
        if "weidongqu-zhengfuban" in name and "2021" in name
    ]
    assert len(hits) == 1, sorted(rendered["pages"])
    return hits[0]


def test_hostile_text_is_shown_literally(rendered):
    name, text = _hostile_page(rendered)
    _, body = _split_front_matter(text)
    parser = _Html()
    parser.feed(_html(body))
    shown = "".join(parser.text)
    for payload in _kept_payloads():
        if payload in {"表格破坏 |---|---| 结束", "---", "***", "```", "====="}:
            continue
        assert payload in shown, payload
    assert mc.JINJA in shown and "{{" in shown  # not evaluated to 49 by the templates
    assert mc.JINJA_TAG in shown
    assert mc.SNIPPET in shown
    # Report text never becomes structure: no list, one h1, code spans are the template's own.
    assert [tag for tag, _ in parser.tags if tag in {"ol", "pre"}] == [], name
    assert [tag for tag, _ in parser.tags].count("h1") == 1, name
    code = "".join(parser.code)
    assert not re.search(r"[\u4e00-\u9fff]|alert|python|include|7\*7", code), (name, code)


def test_hostile_file_names_are_shown_literally(rendered):
    hits = [text for text in rendered["pages"].values() if "binary garbage.txt" in text]
    assert hits, "the unreadable inputs are listed on no page"
    for text in hits:
        _, body = _split_front_matter(text)
        parser = _Html()
        parser.feed(_html(body))
        for tag, attrs in parser.tags:
            for attr, value in attrs:
                assert not (value or "").lower().startswith("javascript:"), (tag, attr, value)


def test_downloads_round_trip(rendered):
    import json

    records = [record.to_dict() for record in rendered["corpus"].records]
    data = rendered["content"] / "data"
    assert list(yaml.safe_load_all((data / "records.yaml").read_text("utf-8"))) == records
    assert json.loads((data / "records.json").read_text("utf-8")) == records
