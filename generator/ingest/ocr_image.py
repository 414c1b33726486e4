"""Page images for OCR: load, straighten, and find the ruled table grids and their cells.

Everything works on a page normalised to WORK_DPI (a scan's own resolution is not known or is
whatever the scanner used): greyscale, white paper, black ink. Steps, in order:

1. deskew: a sheet is never straight on the glass; the angle whose horizontal projection has
   the sharpest rows (text lines, rulings) is the one that makes the page level;
2. ink: speckles smaller than a stroke are removed (a 3x3 median), then Otsu's threshold;
3. grids: long horizontal and vertical runs are rulings; a region with at least two of each
   is a table, and its line positions are the grid. A ruling missing between two grid cells
   means a merged cell: the cells it separates are one, as in the printed form.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

WORK_DPI = 300
"""Digits of a 9 pt table are ~26 px high here: what Tesseract and RapidOCR read best."""
A4_WIDTH_IN = 8.27
MAX_SKEW = 3.0
"""Degrees searched either way; scans are off by a degree or so."""
MIN_COMPONENT = 10
"""Pixels: ink blobs smaller than this (at WORK_DPI) are dust, wherever they are."""
DUST = 60
"""Pixels: a blob smaller than this is kept only next to a stroke (a full stop, a dot)."""
NEAR = 12
"""Pixels (~1 mm at WORK_DPI): how close to a stroke a small blob must be."""


@dataclass(frozen=True, slots=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass(frozen=True, slots=True)
class Grid:
    box: Box
    rows: int
    cols: int
    cells: tuple[GridCell, ...]
    """Every cell once, merged cells by their top-left position, in reading order."""


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    grey: np.ndarray
    """Deskewed greyscale pixels at WORK_DPI (uint8, 255 = paper)."""
    ink: np.ndarray
    """Boolean mask of ink after speckle removal."""
    angle: float
    """Rotation applied to level the page, in degrees."""

    @property
    def points_per_pixel(self) -> float:
        return 72 / WORK_DPI


# --- loading -----------------------------------------------------------------------------------


def pdf_page_count(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def pdf_pages(data: bytes, numbers: Iterable[int] | None = None) -> Iterator[np.ndarray]:
    """The pages of a PDF (or those of the 1-based numbers) rendered in grey at WORK_DPI
    (pdfium, which pdfplumber also uses), one at a time."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        indexes = range(len(document)) if numbers is None else [n - 1 for n in numbers]
        for index in indexes:
            page = document[index]
            bitmap = page.render(scale=WORK_DPI / 72, grayscale=True)
            yield np.asarray(bitmap.to_pil().convert("L"))
    finally:
        document.close()


def image_pages(data: bytes) -> list[np.ndarray]:
    """The frames of a page image (a TIFF may hold many), scaled to WORK_DPI.

    A photo or scan rarely records its true resolution, so the scale comes from the width:
    a report page is A4 (a landscape page is scaled by its shorter side)."""
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            grey = frame.convert("L")
            short = min(grey.size)
            scale = WORK_DPI * A4_WIDTH_IN / short
            if abs(scale - 1) > 0.02:
                size = (round(grey.size[0] * scale), round(grey.size[1] * scale))
                grey = grey.resize(size, Image.Resampling.BICUBIC)
            pages.append(np.asarray(grey))
    return pages


def prepare(number: int, grey: np.ndarray) -> Page:
    import cv2

    clean = cv2.medianBlur(grey, 3)
    angle = skew_angle(clean)
    if angle:
        clean = rotate(clean, angle)
    _, binary = cv2.threshold(clean, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = binary > 0
    dust = _dust(ink)
    clean[dust] = 255
    ink[dust] = False
    return Page(number, clean, ink, angle)


def _dust(ink: np.ndarray) -> np.ndarray:
    """Specks: blobs too small to be a stroke that lie away from every stroke (a full stop or
    the dot of 冫 sits next to one). Dust in a cell would read as a stop or a digit."""
    import cv2

    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    small = area < DUST
    small[0] = False  # the background
    strokes = ~small[labels] & ink
    near = cv2.dilate(strokes.astype(np.uint8), np.ones((2 * NEAR + 1, 2 * NEAR + 1), np.uint8))
    touching = np.unique(labels[(near > 0) & small[labels] & ink])
    lonely = small.copy()
    lonely[touching] = False
    lonely |= area < MIN_COMPONENT
    lonely[0] = False
    dust: np.ndarray = lonely[labels] & ink
    return dust


# --- deskew ------------------------------------------------------------------------------------


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    import cv2

    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        grey, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def skew_angle(grey: np.ndarray) -> float:
    """The rotation (degrees) that levels the page: coarse search, then a finer one."""
    import cv2

    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if not ink.any():
        return 0.0

    def sharpness(angle: float) -> float:
        h, w = ink.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=sharpness)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025), key=sharpness)
    return round(float(fine), 3)


# --- grids -------------------------------------------------------------------------------------

H_RUN = 0.35
"""Inches: a horizontal run this long is a ruling, not a stroke (一 in a 16 pt title is ~0.2)."""
V_RUN = 0.2
"""Inches: vertical rulings are at least one table row tall (~0.24 in); strokes are < 0.15."""
SEGMENT_RUN = 0.08
"""Inches: the shorter opening that tells whether a ruling runs between two grid cells."""
PRESENT = 0.75
"""Share of a boundary a ruling must cover to separate two cells."""


def _lines(mask: np.ndarray, axis: int, min_length: int) -> list[int]:
    """Centres of rulings: runs of rows (axis=1) or columns (axis=0) whose mask sum is long."""
    sums = mask.sum(axis=axis)
    hits = np.flatnonzero(sums >= min_length)
    centres: list[int] = []
    start: int | None = None
    prev = 0
    for hit in hits:
        index = int(hit)
        if start is None:
            start = prev = index
        elif index - prev <= 2:
            prev = index
        else:
            centres.append((start + prev) // 2)
            start = prev = index
    if start is not None:
        centres.append((start + prev) // 2)
    return centres


def find_grids(page: Page) -> list[Grid]:
    """Ruled tables on a page, top to bottom."""
    import cv2

    ink = page.ink.astype(np.uint8)
    h_len, v_len = round(H_RUN * WORK_DPI), round(V_RUN * WORK_DPI)
    # uint8 masks (cv2's stubs type its results as any integer or float array)
    horizontal: np.ndarray = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vertical: np.ndarray = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    joined = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    seg = round(SEGMENT_RUN * WORK_DPI)
    h_short = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, seg), np.uint8))
    v_short = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((seg, 1), np.uint8))
    grids = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        if w < h_len or h < v_len:
            continue
        region = (slice(y, y + h), slice(x, x + w))
        ys = [y + c for c in _lines(horizontal[region], 1, h_len)]
        xs = [x + c for c in _lines(vertical[region], 0, v_len)]
        if len(ys) < 2 or len(xs) < 2:
            continue
        grid = _cells(ys, xs, h_short, v_short)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.box.y0)
    return grids


def _covered(mask: np.ndarray, axis: int) -> float:
    """Share of a boundary band that a ruling covers (axis 0: along x; 1: along y)."""
    if mask.size == 0:
        return 0.0
    return float(mask.any(axis=axis).mean())


def _cells(ys: list[int], xs: list[int], h_mask: np.ndarray, v_mask: np.ndarray) -> Grid | None:
    """Grid lines -> cells, merging neighbours that no ruling separates."""
    rows, cols = len(ys) - 1, len(xs) - 1
    band = 4
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(rows):
        for c in range(cols):
            inset_y = slice(ys[r] + band + 1, ys[r + 1] - band)
            inset_x = slice(xs[c] + band + 1, xs[c + 1] - band)
            if c + 1 < cols:  # the vertical ruling at xs[c+1] between rows r and r+1
                strip = v_mask[inset_y, xs[c + 1] - band : xs[c + 1] + band + 1]
                if _covered(strip, 1) < PRESENT:
                    union(r * cols + c, r * cols + c + 1)
            if r + 1 < rows:  # the horizontal ruling at ys[r+1] between cols c and c+1
                strip = h_mask[ys[r + 1] - band : ys[r + 1] + band + 1, inset_x]
                if _covered(strip, 0) < PRESENT:
                    union(r * cols + c, (r + 1) * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
        r1, c1 = max(m[0] for m in members), max(m[1] for m in members)
        box = Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    if len(cells) < 2:
        return None  # a ruled frame around text, not a table
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Grid(Box(xs[0], ys[0], xs[-1], ys[-1]), rows, cols, tuple(cells))


# --- cell contents -----------------------------------------------------------------------------

CELL_INSET = 7
"""Pixels kept clear of a cell's rulings (a blurred 0.6 pt ruling is ~5 px wide here)."""


def cell_image(page: Page, box: Box) -> np.ndarray | None:
    """The ink of one cell as a tight greyscale crop with a white margin, or None if blank."""
    import cv2

    y0, y1 = box.y0 + CELL_INSET, box.y1 - CELL_INSET
    x0, x1 = box.x0 + CELL_INSET, box.x1 - CELL_INSET
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    ink = page.ink[y0:y1, x0:x1].astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    h, w = ink.shape
    for label in range(1, count):
        x, y, bw, bh, _ = stats[label]
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        long_line = bw > 0.9 * w or bh > 0.9 * h  # a ruling that strays into the inset
        keep[label] = not (touches and long_line)
    mask = keep[labels]
    if not mask.any():
        return None
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    grey = page.grey[y0:y1, x0:x1].copy()
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # anti-aliased edges
    grey[~near] = 255  # what is not kept ink (dust, ruling remnants) is paper
    crop = grey[top:bottom, left:right]
    pad = 12
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def mask_boxes(page: Page, boxes: list[Box]) -> np.ndarray:
    """The page in grey with the given regions (tables) painted white, for the running text."""
    grey = page.grey.copy()
    for box in boxes:
        grey[max(0, box.y0 - 6) : box.y1 + 7, max(0, box.x0 - 6) : box.x1 + 7] = 255
    return grey
