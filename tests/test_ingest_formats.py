"""Readers for PDF, DOCX, DOC and HTML, on fixtures built from the sample reports.

tests/fixtures/formats/make_fixtures.py turns the five samples (000-002, 004: 2021; 003: 2019;
table values from the hand-checked golden records) into a ReportSpec and writes it as PDF (ruled tables, merged cells, §三 split over two pages with
its header repeated, page numbers and a running header), DOCX (merged cells) and GBK HTML
(rowspan/colspan inside site chrome). Each reader must give back the spec's grids exactly.
"""

from __future__ import annotations

import codecs
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

from generator.document import Document, Paragraph, Table
from generator.errors import SourceError
from generator.ingest import doc as doc_reader
from generator.ingest import docx as docx_reader
from generator.ingest import html as html_reader
from generator.ingest import pdf as pdf_reader
from generator.ingest import text as text_reader
from generator.ingest.encoding import decode_text, join_wrapped

FIXTURES = Path(__file__).parent / "fixtures" / "formats"

pytestmark = pytest.mark.formats  # builds the PDF, DOCX and HTML fixtures
SEEDS = ("000", "001", "002", "003", "004")
READERS = {"pdf": pdf_reader.read, "docx": docx_reader.read, "html": html_reader.read}
T3_ROWS = {"000": 28, "001": 28, "002": 28, "003": 26, "004": 28}
"""§三 rows including the 3 header rows: 25 numeric rows (2021 edition) / 23 (2019)."""


def _load_maker():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_fixtures", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    pytest.importorskip("reportlab")
    out = tmp_path_factory.mktemp("formats")
    specs = _load_maker().build_all(out)
    return out, specs


def read(built, name: str) -> Document:
    out, _ = built
    path = out / name
    return READERS[path.suffix[1:]](path.read_bytes(), name)


def grids(doc: Document) -> list[list[list[str]]]:
    return [[[c.text for c in row] for row in b.rows] for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[Paragraph]:
    return [b for b in doc.blocks if isinstance(b, Paragraph)]


# --- every format gives the spec's tables, headings and text ----------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("seed", SEEDS)
def test_tables_match_the_spec_grid(built, seed, fmt):
    doc = read(built, f"{seed}.{fmt}")
    spec = built[1][seed]
    expected = [spec.tables()[key].grid for key in ("t2", "t3", "t4") if key in spec.tables()]
    assert grids(doc) == expected


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("seed", SEEDS)
def test_merged_cells_are_placed_once(built, seed, fmt):
    tables = dict(zip(built[1][seed].tables(), grids(read(built, f"{seed}.{fmt}")), strict=True))
    t2, t3, t4 = tables.get("t2"), tables["t3"], tables["t4"]  # seed 000 has no §二 table
    assert t3[0][:4] == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "",
        "",
        "申请人情况",
    ]
    assert t3[0][4:] == [""] * 6
    assert t3[1][3:] == ["自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert t3[2][3:] == ["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert t3[5][:3] == [
        "三、本年度办理结果",
        "（一）予以公开",
        "",
    ]  # col 0 spans rows, col 1 spans cols
    assert all(row[0] == "" for row in t3[6:-1])
    assert t4[0] == ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9]
    assert t4[2][:6] == ["", "", "", "", "", "结果维持"]  # 结果维持..总计 span two rows
    if t2 is not None:
        assert t2[0] == ["第二十条第（一）项", "", "", ""]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_requests_table_values(built, fmt):
    by_label = {
        row[2] or row[1] or row[0]: row[3:] for row in grids(read(built, f"004.{fmt}"))[1][3:]
    }
    assert by_label["一、本年新收政府信息公开申请数量"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert by_label["3.其他"] == ["0", "0", "0", "0", "0", "75", "75"]
    assert by_label["（七）总计"] == ["0", "0", "0", "0", "0", "75", "75"]
    proactive = grids(read(built, f"004.{fmt}"))[0]
    assert ["行政许可", "7912", "", ""] in proactive


@pytest.mark.parametrize("seed", [s for s in SEEDS if s != "000"])  # 000's §三 fits on one page
def test_pdf_requests_table_is_joined_across_pages(built, seed):
    doc = read(built, f"{seed}.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    t3 = tables[list(built[1][seed].tables()).index("t3")]
    assert len(t3.rows) == T3_ROWS[seed]
    header = [c.text for c in t3.rows[1]]
    assert sum(1 for row in t3.rows if [c.text for c in row] == header) == 1  # repeat dropped
    # it really was split: its cells' text sits on two pages of the PDF
    import pdfplumber

    with pdfplumber.open(built[0] / f"{seed}.pdf") as pdf:
        pages = [
            p.page_number
            for p in pdf.pages
            for t in p.find_tables()
            if "申请人情况" in str(t.extract())
        ]
    assert len(pages) == 2 and pages[1] == pages[0] + 1
    assert t3.page == pages[0]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("seed", SEEDS)
def test_headings_and_paragraphs_in_order(built, seed, fmt):
    doc = read(built, f"{seed}.{fmt}")
    spec = built[1][seed]
    texts = [p.text for p in paragraphs(doc)]
    expected = [b[2] if b[0] == "h" else b[1] for b in spec.blocks if b[0] in ("h", "p")]
    if fmt == "html":
        texts = [t for t in texts if not t.startswith("发布时间")]  # the page's date line
        title, rest = _load_maker().html_title(spec)  # one <h1> on a web page
        expected = [title, *(b[2] if b[0] == "h" else b[1] for b in rest if b[0] in ("h", "p"))]
    if fmt == "pdf":  # a space at a line wrap is not in a PDF ("1 日" wrapped as "1" / "日")
        texts, expected = ([re.sub(r"\s+", "", t) for t in ts] for ts in (texts, expected))
    assert texts == expected
    title = paragraphs(doc)[0]
    assert title.heading == 1
    if fmt != "html":  # the HTML fixture marks half its headings only by <strong>
        assert [p.text for p in paragraphs(doc) if p.heading == 2] == spec.headings()[1:]


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_page_furniture_is_removed(built, seed):
    doc = read(built, f"{seed}.pdf")
    texts = [p.text for p in paragraphs(doc)]
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t)]
    assert texts.count(built[1][seed].blocks[0][2]) == 1  # the running header is the title
    codes = [w.code for w in doc.warnings]
    assert codes == ["page-furniture-removed"]
    assert doc.pages >= 3
    assert all(b.page for b in doc.blocks)
    lines = [b.line for b in doc.blocks]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_lines_are_sequential(built, fmt):
    doc = read(built, f"001.{fmt}")
    lines = []
    for block in doc.blocks:
        if isinstance(block, Table):
            lines.extend(row[0].line for row in block.rows)
        else:
            lines.append(block.line)
    assert lines == list(range(1, len(lines) + 1))


def test_html_chrome_is_left_out(built):
    doc = read(built, "001.html")
    text = "\n".join(p.text for p in paragraphs(doc))
    for chrome in ("首页", "当前位置", "相关链接", "主办单位", "统计代码", "ICP"):
        assert chrome not in text
    assert doc.warnings == ()  # <meta charset=gb2312> was right
    assert doc.format == "html" and doc.pages is None


def test_html_layout_tables_and_spans():
    page = """<html><head><meta charset="gbk"></head><body><table><tr><td><a href="/">首页</a></td></tr>
    <tr><td><p>某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文&nbsp;内容<br>第二行</p>
    <table border=1><tr><td colspan=2>第二十条第（一）项</td><td rowspan=2>合<br>计</td></tr>
    <tr><td>&nbsp;</td><td>商业
    企业</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table></td></tr></table></body></html>"""
    doc = html_reader.read(page.encode("gbk"), "x.html")
    assert [p.text for p in paragraphs(doc)] == [
        "某局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "正文 内容",
        "第二行",
    ]
    assert grids(doc) == [
        [["第二十条第（一）项", "", "合计"], ["", "商业企业", ""], ["1", "2", "3"]]
    ]


def test_html_encodings():
    body = "<p>某局2021年政府信息公开工作年度报告</p><p>商业企业</p>"
    no_meta = html_reader.read(f"<html><body>{body}</body></html>".encode("gbk"), "a.html")
    assert paragraphs(no_meta)[1].text == "商业企业"
    assert [w.code for w in no_meta.warnings] == ["encoding-guessed"]
    wrong_meta = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode(
        "gbk"
    )
    doc = html_reader.read(wrong_meta, "b.html")
    assert (
        paragraphs(doc)[1].text == "商业企业"
        and "declares charset utf-8" in doc.warnings[0].message
    )
    bom_wins = (
        codecs.BOM_UTF8
        + f'<html><head><meta charset="gb2312"></head><body>{body}</body></html>'.encode()
    )
    doc = html_reader.read(bom_wins, "c.html")
    assert paragraphs(doc)[1].text == "商业企业" and doc.warnings == ()


# --- decode_text and join_wrapped --------------------------------------------------------------------


TEXT = "二、主动公开政府信息情况\n规章\t0\t0\t0\n"


@pytest.mark.parametrize(
    ("data", "warned"),
    [
        (TEXT.encode("utf-8"), False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), False),
        (TEXT.encode("utf-16"), False),  # with BOM
        (TEXT.encode("gbk"), True),
        (TEXT.encode("gb2312"), True),
        ((TEXT + "㐀䶵").encode("gb18030"), True),  # CJK Ext. A: four-byte GB18030 only
    ],
)
def test_decode_text(data, warned):
    text, warning = decode_text(data)
    assert text.startswith("二、主动公开政府信息情况") and "\ufeff" not in text
    assert (warning is not None) == warned
    if warned:
        assert "gb18030" in warning


def test_decode_text_big5_is_detected_not_forced_to_gb18030():
    data = ("政府資訊公開工作年度報告，申請人情況與處理結果統計。" * 3).encode("big5")
    text, warning = decode_text(data)
    assert "年度報告" in text and warning is not None


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["商业", "企业"], "商业企业"),
        (["结果", "纠正"], "结果纠正"),
        (["发布信息3486", "条"], "发布信息3486条"),
        (["791", "2"], "7912"),
        (["Total", "count"], "Total count"),
        (["  ", "其他", ""], "其他"),
    ],
)
def test_join_wrapped(parts, joined):
    assert join_wrapped(parts) == joined


# --- files that cannot be read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "扫描版 PDF，没有文字层"),
        ("encrypted.pdf", "PDF 已加密：请向发布机关索取未加密的版本"),
        ("truncated.pdf", "PDF 文件已损坏（"),
        ("not-a-word.docx", "不是 Word 文档（.docx 压缩包中没有 word/document.xml）"),
        ("garbage.docx", "不是 Word 文档（不是 zip 文件）"),
    ],
)
def test_unreadable_files(built, name, reason):
    with pytest.raises(SourceError) as info:
        read(built, name)
    assert info.value.reason.startswith(reason)
    assert info.value.path == name


def test_not_a_pdf():
    with pytest.raises(SourceError, match="不是 PDF 文件"):
        pdf_reader.read(b"<html>saved error page</html>", "x.pdf")


def test_doc_without_libreoffice(monkeypatch):
    monkeypatch.setattr(doc_reader, "soffice", lambda: None)
    with pytest.raises(SourceError) as info:
        doc_reader.read(doc_reader.OLE_MAGIC + b"\x00" * 600, "old.doc")
    assert info.value.reason.startswith(
        "旧版 .doc 文件需要 LibreOffice 才能读取：请安装 LibreOffice"
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_doc_is_converted_with_libreoffice(built, tmp_path):
    out, specs = built
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(out / "003.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "003.doc").read_bytes()
    assert data.startswith(doc_reader.OLE_MAGIC)
    doc = doc_reader.read(data, "003.doc")
    assert doc.format == "docx"
    assert grids(doc) == [specs["003"].tables()[k].grid for k in ("t2", "t3", "t4")]


# --- the same report parses to the same tables in every format ---------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_same_tables_in_every_format(built, seed):
    from generator.ingest import read_document
    from generator.parse import parse_document

    txt = parse_document(read_document(FIXTURES / "seeds" / f"{seed}.txt", f"{seed}.txt")).to_dict()
    for fmt in ("pdf", "docx", "html"):
        record = parse_document(read(built, f"{seed}.{fmt}")).to_dict()
        for key in ("proactive", "requests", "appeals"):
            assert record[key] == txt[key], f"{seed}.{fmt}: {key}"


@pytest.mark.slow
def test_build_lists_scanned_and_corrupt_pdfs_as_unreadable(built, tmp_path):
    """A site built from real formats: every format becomes a record, the scan and the corrupt
    PDF are on the unreadable-inputs page with their reasons, and the build succeeds."""
    from generator.pipeline import Settings, build_site

    out, _ = built
    project = make_project(tmp_path)
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    for name in ("001.pdf", "003.docx", "004.html", "scanned.pdf", "truncated.pdf"):
        shutil.copy(out / name, reports / name)
    summary = build_site(
        Settings(project_dir=project, reports_dir=reports, site_dir=project / "site")
    )
    assert (summary.inputs, summary.records, summary.unreadable) == (5, 3, 2)
    page = (project / "site" / "unreadable" / "index.html").read_text("utf-8")
    assert "scanned.pdf" in page and "没有文字层" in page
    assert "truncated.pdf" in page and "PDF 文件已损坏" in page
    copied = {p.suffix for p in (project / "site" / "reports").rglob("20*.*") if p.suffix != ".yml"}
    assert {".pdf", ".docx"} <= copied  # the original files are published next to their pages


def test_files_of_unknown_formats_are_listed_never_skipped(tmp_path):
    """A report saved as .wps or .ofd did not become a record: it is unreadable, with the
    formats we read. A file without an extension or a hidden file is listed as ignored."""
    from generator.pipeline import load_corpus

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "某局-2021年报.wps").write_bytes(b"\xd0\xcf\x11\xe0 not read")
    (reports / "某局-2022年报.ofd").write_bytes(b"PK\x03\x04 not read")
    (reports / "某局-2023年报").write_text("no extension", "utf-8")
    (reports / ".DS_Store").write_bytes(b"hidden files are listed as ignored")
    corpus = load_corpus(reports)
    assert corpus.inputs == 4 and not corpus.records
    unreadable = {f.file: f.reason for f in corpus.unreadable}
    assert set(unreadable) == {"某局-2021年报.wps", "某局-2022年报.ofd"}
    assert unreadable["某局-2021年报.wps"].startswith(
        "暂不能读取 .wps 格式的文件（可读取：.doc、.docx"
    )
    assert all("请把报告另存为其中一种格式" in r for r in unreadable.values())
    ignored = {f.file: f.reason for f in corpus.ignored}
    assert set(ignored) == {"某局-2023年报", ".DS_Store"}
    assert ignored["某局-2023年报"].startswith("文件没有扩展名")
    assert ignored[".DS_Store"].startswith("隐藏文件")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_print_hazards_give_the_values_of_the_web_page(built, fmt):
    """Seed 001 printed as agencies print it (labels one character a line, （四）无 | 法提供
    split over two rows, the （六） sub-rows as one undivided row with stacked values): the
    same values as the text; stacked values are never glued into one number."""
    from generator.ingest import read_document
    from generator.parse import parse_document

    txt = parse_document(read_document(FIXTURES / "seeds" / "001.txt", "001.txt"))
    record = parse_document(read(built, f"hazards.{fmt}"))
    for key in ("proactive", "requests", "appeals"):
        assert getattr(record, key) == getattr(txt, key), f"hazards.{fmt}: {key}"


def test_stacked_values_become_rows_and_are_never_one_number():
    from generator.ingest.encoding import unstack_rows

    rows = [
        ["（六）其他处理", "1.逾期不补正\n2.逾期未缴纳\n费用\n3.其他", "0\n1\n0", "2\n0\n0"],
        ["行政许可", "791\n2"],
        ["两个格子", "1\n2", "3\n4\n5"],
    ]
    assert unstack_rows(rows) == [
        ["（六）其他处理", "1.逾期不补正", "0", "2"],
        ["", "2.逾期未缴纳费用", "1", "0"],
        ["", "3.其他", "0", "0"],
        ["行政许可", "7912"],  # one number wrapped in a narrow cell
        ["两个格子", "1 2", "3 4 5"],  # stacked, but not k labelled items: never 12 or 345
    ]


def test_encoding_guessed_has_no_line_in_every_reader():
    """A guessed encoding is about the whole file: no line, whichever reader (issue 18)."""
    body = "某局2021年政府信息公开工作年度报告\n商业企业\n"
    from_text = text_reader.read(body.encode("gbk"), "a.txt").warnings
    from_html = html_reader.read(f"<p>{body}</p>".encode("gbk"), "a.html").warnings
    assert [(w.code, w.line) for w in (*from_text, *from_html)] == [("encoding-guessed", None)] * 2
