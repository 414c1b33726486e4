"""OCR of scanned reports (generator/ingest/ocr.py), on scans made from the fixture PDFs.

tests/fixtures/formats/make_scans.py rasterises each sample's PDF at 150 dpi, rotates it by a
seeded angle within ±1°, blurs and speckles it, and saves it as an image-only PDF. The scans
are read once per session (in the pipeline's process pool, with its parse cache), and every
table value is compared with the hand-checked golden record: at least 99% exact, none wrong.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.document import Cell, Table
from generator.ingest import needs_ocr, ocr_engines, read_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
GOLDEN = ROOT / "tests" / "golden"
SEEDS = ("000", "001", "002", "003", "004")
TABLES = ("proactive", "requests", "appeals")


def _has_cjk_font() -> bool:
    """pdfium draws the fixtures' non-embedded Chinese font from the system's (fonts-noto-cjk)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _engine_ready() -> bool:
    try:
        ocr_engines.engine()
    except ocr_engines.EngineMissing:
        return False
    return True


pytestmark = [
    pytest.mark.formats,  # builds the scanned fixtures and runs OCR: not in make test-fast
    pytest.mark.skipif(not _engine_ready(), reason=f"no OCR engine: {ocr_engines.INSTALL_HINT}"),
    pytest.mark.skipif(
        not _has_cjk_font(), reason="no CJK font to draw the fixtures (fonts-noto-cjk)"
    ),
]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> Path:
    pytest.importorskip("reportlab")
    out = tmp_path_factory.mktemp("ocr-pdfs")
    _load("make_fixtures").build_all(out)
    return out


@pytest.fixture(scope="session")
def scans(pdfs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ocr-scans")
    _load("make_scans").build_scans(pdfs, out, SEEDS)
    return out


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.fixture(scope="session")
def corpus(scans, cache_dir):
    """The five scans read as a build reads them: in the process pool (scans weigh enough),
    results in the parse cache."""
    from generator.pipeline import load_corpus

    result = load_corpus(scans, cache_dir=cache_dir)
    assert not result.failures, result.failures
    return {r.source.file.split("-")[0]: r.to_dict() for r in result.records}


def _flat(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flat(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}.{index}")
    else:
        yield path, value


def _golden(seed: str) -> dict:
    return yaml.safe_load((GOLDEN / f"seed_{seed}" / "expected.yaml").read_text("utf-8"))


def _compare(record: dict, seed: str) -> dict[str, list[str]]:
    gold = _golden(seed)
    out: dict[str, list[str]] = {"exact": [], "null": [], "wrong": []}
    for table in TABLES:
        got = dict(_flat(record[table]))
        for path, value in _flat(gold[table]):
            read = got.get(path, "missing")
            kind = "exact" if read == value else "null" if read is None else "wrong"
            out[kind].append(f"{table}.{path}: golden {value!r}, read {read!r}")
    return out


# --- the values --------------------------------------------------------------------------------


def test_scans_parse_to_the_golden_values(corpus):
    results = {seed: _compare(corpus[seed], seed) for seed in SEEDS}
    wrong = [w for r in results.values() for w in r["wrong"]]
    exact = sum(len(r["exact"]) for r in results.values())
    total = sum(len(v) for r in results.values() for v in r.values())
    assert wrong == [], wrong  # never a different number
    assert exact / total >= 0.99, {s: r["null"] for s, r in results.items()}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_null_value_is_explained(corpus, seed):
    """A value that OCR did not confirm is null with a warning naming its cell and page."""
    record = corpus[seed]
    gold = _golden(seed)
    warned = {w["where"]: w for w in record["parse"]["warnings"] if w.get("where")}
    for table in TABLES:
        got = dict(_flat(record[table]))
        for path, value in _flat(gold[table]):
            if value is not None and got.get(path) is None:
                where = _where(table, path)
                assert where in warned, f"{where} is null without a warning"
                if warned[where]["code"] == "ocr-unconfirmed":
                    assert warned[where]["message"].startswith("page ")
                    assert "OCR 未能确认" in warned[where]["message"]


def _where(table: str, path: str) -> str:
    """requests.received.6 -> requests.received.total (the column names of the warnings)."""
    from generator.record import REQUEST_COLUMNS

    if table == "requests":
        row, column = path.split(".")
        return f"requests.{row}.{REQUEST_COLUMNS[int(column)]}"
    return f"{table}.{path}"


@pytest.mark.parametrize("seed", SEEDS)
def test_record_says_it_was_read_by_ocr(corpus, seed):
    from generator.record import validate_record

    record = corpus[seed]
    ocr = record["source"]["ocr"]
    assert record["source"]["format"] == "pdf"
    assert ocr["engine"] == "tesseract" and ocr["threshold"] > 0.5
    assert ocr["pages"] == record["source"]["pages"] == len(ocr["deskew"])
    assert record["edition"] == _golden(seed)["edition"]
    assert validate_record(record) == []
    codes = [w["code"] for w in record["parse"]["warnings"]]
    assert "ocr" in codes


@pytest.mark.parametrize("seed", SEEDS)
def test_pages_are_deskewed(corpus, seed):
    """Each page is turned back by the angle the scan was rotated by (within 0.1°)."""
    make_scans = _load("make_scans")
    import numpy as np

    for page, angle in enumerate(corpus[seed]["source"]["ocr"]["deskew"]):
        rng = np.random.default_rng(make_scans.seed_of(seed, page))
        rotated = rng.uniform(-make_scans.MAX_ANGLE, make_scans.MAX_ANGLE)
        assert abs(angle + rotated) < 0.1, (page, angle, rotated)


def test_sections_are_found(corpus):
    """The six headings read by OCR are the official ones (a close reading is snapped)."""
    for seed in ("001", "002", "004"):
        headings = [h["section"] for h in corpus[seed]["parse"]["headings"]]
        assert {"proactive", "requests", "appeals"} <= set(headings), (seed, headings)


# --- the Document --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def doc_004(scans):
    return read_document(scans / "004-scan.pdf", "004-scan.pdf")


def test_tables_are_grids_with_confidences_and_pages(doc_004):
    tables = [b for b in doc_004.blocks if isinstance(b, Table)]
    assert [len(t.rows) for t in tables] == [14, 28, 4]  # §三 joined across its page break
    assert all(t.grid and len({len(r) for r in t.rows}) == 1 for t in tables)
    t3 = tables[1]
    assert t3.page == 3
    values = [c for row in t3.rows[3:] for c in row[3:]]
    assert all(c.confidence is not None and 0 <= c.confidence <= 1 for c in values)
    assert {c.page for c in values} == {3, 4}
    assert all(c.confidence is None for c in t3.rows[0][1:3])  # covered by the merged corner
    assert doc_004.ocr["engine"] == "tesseract" and doc_004.pages == 4


def test_running_header_and_page_numbers_are_removed(doc_004):
    texts = [b.text for b in doc_004.blocks if not isinstance(b, Table)]
    assert sum("年度报告" in t and len(t) < 40 for t in texts) == 1  # the title, once
    assert not [t for t in texts if t.strip("-— ").isdigit()]


def test_needs_ocr_tells_scans_from_text_pdfs(pdfs, scans, tmp_path):
    image = tmp_path / "page.png"
    image.write_bytes(b"not looked at")
    assert needs_ocr(scans / "001-scan.pdf") and needs_ocr(image)
    assert not needs_ocr(pdfs / "001.pdf") and not needs_ocr(pdfs / "001.docx")


# --- a PDF with text pages and scanned pages --------------------------------------------------------


def _mixed_pdf(pdfs: Path, scans: Path, seed: str, scanned: set[int], out: Path) -> Path:
    """The fixture PDF of seed with the pages `scanned` (1-based) taken from its scan: a report
    exported from Word whose signed table pages were printed and scanned back in."""
    import pypdfium2

    text = pypdfium2.PdfDocument(str(pdfs / f"{seed}.pdf"))
    scan = pypdfium2.PdfDocument(str(scans / f"{seed}-scan.pdf"))
    mixed = pypdfium2.PdfDocument.new()
    for index in range(len(text)):
        mixed.import_pages(scan if index + 1 in scanned else text, [index])
    mixed.save(str(out))
    return out


@pytest.fixture(scope="session")
def mixed_004(pdfs, scans, tmp_path_factory) -> Path:
    # page 3 holds the first part of table 三, which goes on on (text) page 4
    out = tmp_path_factory.mktemp("ocr-mixed") / "004-mixed.pdf"
    return _mixed_pdf(pdfs, scans, "004", {3}, out)


def test_the_scanned_pages_of_a_text_pdf_are_read_by_ocr(mixed_004):
    from generator.parse import parse_document

    doc = read_document(mixed_004, "004-mixed.pdf")
    assert doc.ocr is not None and doc.ocr["pages"] == 1 and len(doc.ocr["deskew"]) == 1
    notes = [w for w in doc.warnings if w.code == "ocr-pages"]
    assert [w.text for w in notes] == ["3"]
    assert not [w for w in doc.warnings if w.code == "page-without-text"]
    t3 = next(b for b in doc.blocks if isinstance(b, Table) and b.page == 3)
    assert t3.grid and any(c.confidence is not None for row in t3.rows for c in row)
    text_tables = [b for b in doc.blocks if isinstance(b, Table) and b.page != 3]
    assert text_tables and all(c.confidence is None for t in text_tables for r in t.rows for c in r)
    record = parse_document(doc).to_dict()
    result = _compare(record, "004")
    assert result["wrong"] == []  # never a different number
    assert len(result["exact"]) / sum(map(len, result.values())) >= 0.99, result["null"]
    assert record["source"]["ocr"]["pages"] == 1


def test_without_the_engine_the_scanned_pages_are_missing_never_guessed(mixed_004, monkeypatch):
    from generator.parse import parse_document

    monkeypatch.setattr(ocr_engines, "tessdata_dir", lambda: None)
    monkeypatch.setattr(ocr_engines, "_loaded", {})
    doc = read_document(mixed_004, "004-mixed.pdf")
    assert doc.ocr is None
    assert [w.text for w in doc.warnings if w.code == "page-without-text"] == ["3"]
    record = parse_document(doc).to_dict()
    result = _compare(record, "004")
    # table 二 and the first rows of table 三 are printed on page 3: not in the file's text,
    # so null (or the whole table missing), never 0 or a neighbour's number
    assert [w for w in result["wrong"] if not w.endswith("read 'missing'")] == []
    assert record["proactive"] is None and result["null"]


@pytest.mark.slow
def test_a_partly_scanned_report_says_which_pages_were_read_by_ocr(mixed_004, tmp_path):
    from conftest import make_project

    from generator.pipeline import Settings, build_site

    project = make_project(tmp_path)
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    shutil.copy(mixed_004, reports / "004-mixed.pdf")
    summary = build_site(
        Settings(project_dir=project, reports_dir=reports, site_dir=project / "site")
    )
    assert (summary.records, summary.unreadable) == (1, 0)
    (report_page,) = (project / "site" / "reports").glob("*/2021/index.html")
    page = report_page.read_text("utf-8")
    assert "本报告第 3 页为扫描页，这些页的内容经 OCR 识别" in page
    assert "PDF 第 3 页没有文字层（扫描页），这些页由 OCR 从页面图像识别" in page


# --- page images ---------------------------------------------------------------------------------


def test_a_page_image_is_read(pdfs, tmp_path):
    """A report photographed page by page: the last page of 004 (table 四) as a PNG."""
    _load("make_scans").scan_page_png(pdfs / "004.pdf", 3, tmp_path / "004-p4.png")
    doc = read_document(tmp_path / "004-p4.png", "004-p4.png")
    assert doc.format == "image" and doc.pages == 1 and doc.ocr is not None
    appeals = next(
        b for b in doc.blocks if isinstance(b, Table) and "行政复议" in b.rows[0][0].text
    )
    from generator.record import APPEAL_FIELDS, APPEAL_GROUPS

    gold = _golden("004")["appeals"]
    expected = [
        "" if gold[g][f] is None else str(gold[g][f])
        for g, _ in APPEAL_GROUPS
        for f in APPEAL_FIELDS
    ]
    read = [c.text if (c.confidence or 0) >= 0.9 else None for c in appeals.rows[-1]]
    assert [r for r, e in zip(read, expected, strict=True) if r is not None and r != e] == []
    assert sum(r == e for r, e in zip(read, expected, strict=True)) >= 14


# --- the parse rule, without OCR --------------------------------------------------------------------


def test_a_low_confidence_cell_is_null_with_a_warning():
    """The rule in parse/numbers.py: a cell OCR is unsure of is null, never a number."""
    from generator.parse import parse_document
    from generator.parse.numbers import OCR_MIN_CONFIDENCE

    doc = read_document(FIXTURES / "seeds" / "004.txt", "004.txt")
    blocks = list(doc.blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and any("行政许可" in c.text for r in block.rows for c in r):
            rows = [list(r) for r in block.rows]
            for row in rows:
                if row[0].text == "行政许可":
                    cell = row[1]
                    row[1] = Cell(cell.text, cell.line, OCR_MIN_CONFIDENCE - 0.01, 3)
            blocks[index] = replace(block, rows=tuple(tuple(r) for r in rows))
    record = parse_document(replace(doc, blocks=tuple(blocks))).to_dict()
    assert record["proactive"]["licensing"]["decisions"] is None  # 7912 unconfirmed
    warning = next(w for w in record["parse"]["warnings"] if w["code"] == "ocr-unconfirmed")
    assert warning["where"] == "proactive.licensing.decisions"
    assert warning["message"].startswith("page 3: 表二 行政许可")
    assert warning["text"] == "7912"
    confident = parse_document(doc).to_dict()
    assert confident["proactive"]["licensing"]["decisions"] == 7912


# --- practical: cache, missing engine, the site --------------------------------------------------------


def test_a_cached_ocr_parse_is_reused(corpus, scans, cache_dir, monkeypatch):
    from generator.ingest import ocr
    from generator.pipeline import load_corpus

    def refuse(*args, **kwargs):
        raise AssertionError("OCR ran again although the parse was cached")

    monkeypatch.setattr(ocr, "read_scanned_pdf", refuse)
    again = load_corpus(scans, cache_dir=cache_dir)
    assert not again.failures
    assert {r.id: r.to_dict() for r in again.records}[corpus["001"]["id"]] == corpus["001"]


def test_without_the_engine_a_scan_is_listed_with_the_install_hint(scans, tmp_path, monkeypatch):
    from generator.pipeline import load_corpus

    monkeypatch.setattr(ocr_engines, "tessdata_dir", lambda: None)
    monkeypatch.setattr(ocr_engines, "_loaded", {})
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(scans / "001-scan.pdf", reports / "001-scan.pdf")
    from PIL import Image

    Image.new("L", (1240, 1754), 255).save(reports / "page.png")
    (reports / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n cut short")
    corpus = load_corpus(reports)
    reasons = {f.file: f.reason for f in corpus.failures}
    assert reasons["001-scan.pdf"].startswith("扫描版 PDF，没有文字层：扫描件需要 OCR 引擎")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in reasons["001-scan.pdf"]
    assert "请安装" in reasons["001-scan.pdf"]
    assert (
        reasons["page.png"].startswith("报告页面图片：扫描件需要 OCR 引擎")
        and "请安装" in reasons["page.png"]
    )
    assert reasons["broken.png"].startswith("无法读取的图片")


@pytest.mark.slow
def test_build_shows_a_scanned_report_marked_as_ocr(corpus, scans, cache_dir, tmp_path):
    from conftest import make_project

    from generator.pipeline import Settings, build_site

    project = make_project(tmp_path)
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    for seed in ("001", "002", "004"):
        shutil.copy(scans / f"{seed}-scan.pdf", reports / f"{seed}-scan.pdf")
    summary = build_site(
        Settings(
            project_dir=project,
            reports_dir=reports,
            site_dir=project / "site",
            cache_dir=cache_dir,  # the session's OCR parses: same files, same names
        )
    )
    assert (summary.inputs, summary.records, summary.unreadable) == (3, 3, 0)
    site = project / "site" / "reports"
    for seed in ("001", "004"):
        rid = corpus[seed]["id"]
        page = (site / rid / "index.html").read_text("utf-8")
        assert "本报告为扫描件，表格数值经 OCR 识别" in page
        assert "勾稽关系" in page
        assert (site / f"{rid}.pdf").is_file()  # the scan is published next to its page
    page_004 = (site / corpus["004"]["id"] / "index.html").read_text("utf-8")
    assert "勾稽关系不成立" in page_004  # seed 004's own T3-01 error, not an OCR one
    unconfirmed = [w for w in corpus["002"]["parse"]["warnings"] if w["code"] == "ocr-unconfirmed"]
    page_002 = (site / corpus["002"]["id"] / "index.html").read_text("utf-8")
    # the scan of 002 (seeded degradation) has cells OCR cannot confirm: listed by page, table,
    # row and column, linked to the cell
    assert unconfirmed
    assert "OCR 未能确认（显示为“—”）" in page_002
    anchor = unconfirmed[0]["where"].replace(".", "-")
    assert f'<a href="#{anchor}">第 ' in page_002
    page_001 = (site / corpus["001"]["id"] / "index.html").read_text("utf-8")
    assert "勾稽关系全部成立" in page_001  # also in 可核对的勾稽关系全部成立
