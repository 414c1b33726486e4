"""OCR reader: scanned PDFs (no text layer) and page images (.png, .jpg, .tif) -> Document.

Whole-page OCR runs table cells together, so tables are read cell by cell from the ruled grid:

1. each page is rendered (or scaled) to ocr_image.WORK_DPI, levelled and cleaned of dust;
2. the ruled grids are found from their lines (ocr_image.find_grids), merged cells included;
3. every inked cell is read as text; a cell that reads as a number is read again in
   digits-only mode, and its confidence is the lower of the two readings' (0 when they
   disagree: two readings of one cell that differ are no reading at all);
4. a label cell whose reading is close to one wording of the official forms takes that
   wording (OCR confuses 卷 and 耸; the row must still be found by its label);
5. the rest of the page (tables painted out) is read as lines, which become paragraphs and
   tables as in the PDF reader, furniture removed and split tables joined.

The cell confidences go into the Document (Cell.confidence); the parser turns a value below
generator.parse.numbers.OCR_MIN_CONFIDENCE into null with a warning, never into a number.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from generator import record as spec
from generator.document import Document
from generator.errors import SourceError
from generator.ingest import ocr_engines
from generator.ingest.encoding import join_wrapped
from generator.ingest.ocr_image import (
    WORK_DPI,
    Grid,
    Page,
    cell_image,
    find_grids,
    image_pages,
    mask_boxes,
    pdf_page_count,
    pdf_pages,
    prepare,
)
from generator.ingest.pdf import (
    PAGE_NUMBER,
    ScannedPages,
    _Line,
    _PageTable,
    _to_blocks,
    _warning,
)
from generator.model import ParseWarning

if TYPE_CHECKING:
    import numpy as np

MAX_PAGES = 60
"""An annual report is a few pages; a 300-page scan is not one and would take an hour."""
NUMBER_LIKE = re.compile(r"^[0-9０-９.,，．。\-—－]+$")
CJK = re.compile(r"[\u4e00-\u9fff]")
DIGIT_MAP = str.maketrans("０１２３４５６７８９，．。－—", "0123456789,..--")
LABEL_MATCH = 0.75
"""Similarity (difflib ratio) at which a label reading takes the official wording."""
LABEL_MARGIN = 0.08
"""...and by which it must beat the next wording, or it is left as read."""
HEADER_MATCH = 0.8
"""Similarity of two header rows (a split table's repeated header) read twice by OCR."""
MARGIN = 0.1
SIZE_RATIO = 1.3
"""OCR line heights of one font size vary by their glyphs up to this ratio (a title is ~1.6x
the running header)."""
SECTION_TITLES = tuple(spec.SECTION_TITLES.values())
"""The official section headings: a short line that reads close to one is that heading."""

# The printed wordings of the official forms' tables (国办公开办函〔2019〕60号 and
# 〔2021〕30号), both editions: labels a scan of the form prints, that OCR may misread. The
# rows, groups and columns come from generator/record.py; the header texts only a form prints
# are listed here.
FORM_HEADERS = (
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（七）项",
    "第二十条第（八）项",
    "第二十条第（九）项",
    "信息内容",
    "处理决定数量",
    "本年收费金额（单位：万元）",
    "本年收费金额（单位：万元，保留4位小数）",
    "采购总金额",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "法人或其他组织",
    "三、本年度办理结果",
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
)
OFFICIAL_LABELS = tuple(
    dict.fromkeys(
        (
            *FORM_HEADERS,
            *(label for _, label, _ in (*spec.PROACTIVE_2021, *spec.PROACTIVE_2019)),
            # "金额" is the record's short name; the forms print the headers above
            *(label for key, label in spec.PROACTIVE_FIELD_LABELS.items() if key != "amount"),
            *(label for _, label in (*spec.REQUEST_ROWS_2021, *spec.REQUEST_ROWS_2019)),
            # a group of one row prints that row's label only
            *(label for key, label, rows in spec.REQUEST_GROUPS if rows != (key,)),
            *spec.REQUEST_COLUMN_LABELS.values(),
            *spec.APPEAL_FIELD_LABELS.values(),
        )
    )
)
_FOLD = str.maketrans("()〈〉《》<>:;,.．、", "（）（）（）（）：；，，，，")


def _key(text: str) -> str:
    """Text for comparing label readings: no spaces, brackets and stops folded together."""
    return re.sub(r"\s+", "", text).translate(_FOLD)


_LEXICON = {_key(label): label for label in OFFICIAL_LABELS}


# --- entry points --------------------------------------------------------------------------------


def read(data: bytes, path: str) -> Document:
    """A page image (PNG, JPEG, TIFF; a TIFF may hold every page)."""
    try:
        pages = image_pages(data)
    except Exception as exc:  # PIL raises UnidentifiedImageError, OSError, SyntaxError ...
        raise SourceError(
            path, f"无法读取的图片（{type(exc).__name__}）：请检查文件，或重新扫描"
        ) from exc
    _check_count(len(pages), path)
    return _read_pages(engine_or_refusal(path, "image"), pages, len(pages), data, path, "image")


def read_scanned_pdf(data: bytes, path: str) -> Document:
    """A PDF whose pages are only images (pdf.read found no text layer). The engine and the
    page count are checked before any page is rendered (a page is ~9 MB at WORK_DPI)."""
    engine = engine_or_refusal(path, "pdf")
    count = pdf_page_count(data)
    _check_count(count, path)
    return _read_pages(engine, pdf_pages(data), count, data, path, "pdf")


KIND = {"pdf": "扫描版 PDF，没有文字层", "image": "报告页面图片"}


def engine_or_refusal(path: str, fmt: str) -> ocr_engines.Engine:
    """The OCR engine, or the SourceError that keeps the scan listed as unreadable."""
    try:
        return ocr_engines.engine()
    except ocr_engines.EngineMissing as exc:
        raise SourceError(path, f"{KIND[fmt]}：{exc}") from exc


def _check_count(count: int, path: str) -> None:
    if count == 0:
        raise SourceError(path, "没有可读取的页面：请检查文件")
    if count > MAX_PAGES:
        raise SourceError(
            path, f"扫描件有 {count} 页，OCR 最多读取 {MAX_PAGES} 页：请确认它是一份年度报告"
        )


def _read_pages(
    engine: ocr_engines.Engine,
    greys: Iterable[np.ndarray],
    count: int,
    data: bytes,
    path: str,
    fmt: str,
) -> Document:
    """Pages (greyscale arrays, one at a time) -> Document."""
    from generator.ingest import sha256_of

    lines, tables, angles, snapped = _read_page_images(engine, enumerate(greys, start=1))
    lines, removed = _remove_furniture(lines, count)
    blocks = _to_blocks(lines, tables, _same_row)
    if not blocks:
        raise SourceError(
            path,
            f"{KIND[fmt]}，OCR 在各页都没有识别出文字：请向发布机关索取可复制文字的版本，或更清晰的扫描件",
        )
    warnings = [
        _warning(
            "ocr",
            f"read by OCR ({engine.name} {engine.version}) from {count} page image(s): "
            "check the values against the scan",
            1,
        )
    ]
    warnings += _snapped_warning(snapped)
    if removed:
        warnings.append(
            _warning(
                "page-furniture-removed",
                f"removed {len(removed)} page numbers or running headers/footers",
                1,
            )
        )
    ocr = _ocr_info(engine, count, angles)
    return Document(path, fmt, sha256_of(data), tuple(blocks), count, tuple(warnings), ocr=ocr)


def _ocr_info(engine: ocr_engines.Engine, pages: int, angles: list[float]) -> dict[str, Any]:
    """Document.ocr: how the pages were read (record source.ocr)."""
    return {
        "engine": engine.name,
        "version": engine.version,
        "dpi": WORK_DPI,
        "pages": pages,
        "deskew": angles,
    }


def read_pdf_pages(
    engine: ocr_engines.Engine, data: bytes, path: str, numbers: list[int]
) -> ScannedPages:
    """The pages of a PDF that have no text layer (1-based numbers) while its other pages have
    one: read as a scan's pages are, to go in page order among the text pages (pdf.read)."""
    _check_count(len(numbers), path)
    lines, tables, angles, snapped = _read_page_images(
        engine, zip(numbers, pdf_pages(data, numbers), strict=True)
    )
    lines, removed = _remove_furniture(lines, len(numbers))
    pages = "、".join(map(str, numbers))
    warnings = [
        _warning(
            "ocr-pages",
            f"page(s) {', '.join(map(str, numbers))} have no text layer: read by OCR "
            f"({engine.name} {engine.version}); check their values against the file",
            1,
            pages,
        ),
        *_snapped_warning(snapped),
    ]
    info = _ocr_info(engine, len(numbers), angles)
    return ScannedPages(lines, tables, removed, warnings, info, _same_row)


def _read_page_images(
    engine: ocr_engines.Engine, pages: Iterable[tuple[int, np.ndarray]]
) -> tuple[list[_Line], list[_PageTable], list[float], list[tuple[str, str]]]:
    """(page number, greyscale image) pairs, one at a time -> (lines outside the tables, the
    tables, each page's deskew angle, the labels snapped to the official wording)."""
    lines: list[_Line] = []
    tables: list[_PageTable] = []
    angles: list[float] = []
    snapped: list[tuple[str, str]] = []
    for number, grey in pages:
        page = prepare(number, grey)
        angles.append(page.angle)
        grids = find_grids(page)
        for grid in grids:
            tables.append(_read_grid(engine, page, grid, snapped))
        lines += _read_lines(engine, page, grids)
    return lines, tables, angles, snapped


def _snapped_warning(snapped: list[tuple[str, str]]) -> list[ParseWarning]:
    if not snapped:
        return []
    shown = "; ".join(f"'{a}' -> '{b}'" for a, b in snapped[:3])
    return [
        _warning(
            "ocr-label-matched",
            f"{len(snapped)} table label(s) read by OCR taken as the official form's "
            f"wording (e.g. {shown})",
            1,
        )
    ]


# --- tables --------------------------------------------------------------------------------------


def _read_grid(
    engine: ocr_engines.Engine, page: Page, grid: Grid, snapped: list[tuple[str, str]]
) -> _PageTable:
    texts = [[""] * grid.cols for _ in range(grid.rows)]
    confidence: list[list[float | None]] = [[None] * grid.cols for _ in range(grid.rows)]
    for cell in grid.cells:
        image = cell_image(page, cell.box)
        if image is None:
            continue  # no ink: a blank cell, which the parser reads as null (never 0)
        text, score = read_cell(engine, image)
        label = official_label(text)
        if label and label != text:
            snapped.append((text, label))
            text = label
        texts[cell.row][cell.col] = text
        confidence[cell.row][cell.col] = score
    top = grid.box.y0 * page.points_per_pixel
    return _PageTable(texts, page.number, top, confidence)


def read_cell(engine: ocr_engines.Engine, image: np.ndarray) -> tuple[str, float]:
    """(text, confidence) of one cell.

    A cell that reads as a number (or as a stray mark or two, which a digit can look like)
    is read again digits-only. Its confidence is that digits reading's, if it agrees with the
    general one; two readings that disagree make no reading: confidence 0, and the parser
    leaves the cell null (OCR 未能确认)."""
    general = engine.read_text(image)
    compact = re.sub(r"\s+", "", general.text)
    if not (NUMBER_LIKE.match(compact) or (len(compact) <= 2 and not CJK.search(compact))):
        lines = general.text.splitlines()
        return join_wrapped(lines) if lines else "", general.confidence
    expected = compact.translate(DIGIT_MAP).strip(".,")  # a speck by a digit reads as "."
    first = None
    for digits in engine.read_digits(image):
        first = first or digits
        if digits.text and digits.text == expected:
            return digits.text, digits.confidence
    shown = first.text if first and first.text else compact
    return shown, 0.0


def official_label(text: str) -> str | None:
    """The official wording this label reading is, or None when none is close enough."""
    key = _key(text)
    if not key or key.translate(DIGIT_MAP).replace(",", "").isdigit():
        return None
    if key in _LEXICON:
        return _LEXICON[key]
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in _LEXICON), reverse=True
    )
    best, runner_up = scored[0], scored[1]
    if best[0] >= LABEL_MATCH and best[0] - runner_up[0] >= LABEL_MARGIN:
        return _LEXICON[best[1]]
    return None


def _section_title(text: str) -> str | None:
    """The official section heading a short OCR'd line is ('五存在的主要问题及改进情况，四',
    '、收到和处理…'): it starts with the heading's numeral or with a mark OCR left in its
    place, never with another character ('无其他需要报告的事项。' is running text)."""
    if len(text) > 30 or text.endswith("。"):
        return None
    for title in SECTION_TITLES:
        if CJK.match(text) and text[0] != title[0]:
            continue
        if difflib.SequenceMatcher(None, _key(text), _key(title)).ratio() >= LABEL_MATCH:
            return title
    return None


def _same_row(a: list[str], b: list[str]) -> bool:
    """Two readings of one header row: same cells filled, texts alike."""
    if [bool(x) for x in a] != [bool(y) for y in b]:
        return False
    return difflib.SequenceMatcher(None, "|".join(a), "|".join(b)).ratio() >= HEADER_MATCH


# --- running text --------------------------------------------------------------------------------


def _read_lines(engine: ocr_engines.Engine, page: Page, grids: list[Grid]) -> list[_Line]:
    grey = mask_boxes(page, [g.box for g in grids])
    scale = page.points_per_pixel
    height = grey.shape[0] * scale
    out = []
    for line in engine.read_lines(grey):
        text = line.text.replace("\n", "")
        if not text.strip():
            continue
        text = _section_title(text) or text
        box = line.box
        out.append(
            _Line(
                text,
                page.number,
                box.x0 * scale,
                box.x1 * scale,
                box.y0 * scale,
                box.y1 * scale,
                round(box.height * scale * 2) / 2,  # half points: the size varies by glyphs
                height,
            )
        )
    return out


def _remove_furniture(lines: list[_Line], page_count: int) -> tuple[list[_Line], list[str]]:
    """Page numbers and running headers/footers in the margins, as pdf._remove_furniture, but
    a running header need only read alike on most pages (OCR reads it a little differently
    each time)."""
    margin = [
        ln
        for ln in lines
        if ln.top < MARGIN * ln.page_height or ln.bottom > (1 - MARGIN) * ln.page_height
    ]
    needed = max(2, (page_count + 1) // 2)

    def similar(a: _Line, b: _Line) -> bool:
        # the title on page 1 may read as the running header, but it is printed larger
        if max(a.size, b.size) > SIZE_RATIO * min(a.size, b.size):
            return False
        return difflib.SequenceMatcher(None, _shape(a), _shape(b)).ratio() >= HEADER_MATCH

    kept, removed = [], []
    margin_ids = {id(ln) for ln in margin}
    for ln in lines:
        if id(ln) in margin_ids:
            pages = {other.page for other in margin if similar(ln, other)}
            if PAGE_NUMBER.match(re.sub(r"\s+", " ", ln.text)) or len(pages) >= needed:
                removed.append(ln.text)
                continue
        kept.append(ln)
    return kept, removed


def _shape(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))
