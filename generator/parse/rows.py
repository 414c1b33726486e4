"""Table rows -> (label, value cells): the layout-independent core of table reading.

A row from any layout is a list of cells: label cells first, then value cells. Text layouts
lose merged-cell spans, so the number of cells before, between and after the values varies
(seed 000: `label<TAB><TAB>5…5<TAB>` and `<TAB>(三)…<TAB>1.…<TAB>0…0`). Values are placed by
the one rule that never guesses: the row's value cells must contain exactly one window of the
expected width outside which every cell is empty. If two windows fit with different results
(e.g. `"" 0 0 0 0 0 0 ""` for seven columns), the row is ambiguous and read as nulls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.document import Cell, Table
from generator.parse.normalize import norm
from generator.parse.numbers import is_value_text


@dataclass(frozen=True, slots=True)
class Row:
    labels: tuple[str, ...]
    """Non-empty label cells, as printed (left to right)."""
    values: tuple[Cell, ...]
    """Cells after the last label cell, empties kept."""
    line: int
    grid: bool
    """From a reader that knows the column grid: values are right-aligned."""
    cells: tuple[Cell, ...] = ()
    """All cells of the row as read, for positional mapping under a header row."""
    segmented: bool = False
    """Found by segment() in a run of cells: its cells are not positions of a printed row."""

    @property
    def label(self) -> str:
        return "".join(self.labels)

    @property
    def key(self) -> str:
        """Normalised label for matching."""
        return norm(self.label)

    @property
    def has_values(self) -> bool:
        return any(c.text.strip() for c in self.values)


def table_rows(table: Table, is_row_label: Callable[[str], bool] | None = None) -> list[Row]:
    """The rows of a table: one per printed row, or, for a flat table (one cell a line, no
    row boundaries), the rows found by segment()."""
    if table.flat:
        return [row for cells in table.rows for row in segment(cells, is_row_label)]
    rows = []
    for cells in table.rows:
        if not any(c.text.strip() for c in cells):
            continue
        last_label = -1
        for index, cell in enumerate(cells):
            if cell.text.strip() and not is_value_text(cell.text):
                last_label = index
        labels = tuple(c.text.strip() for c in cells[: last_label + 1] if c.text.strip())
        line = cells[0].line if cells else table.line
        rows.append(Row(labels, tuple(cells[last_label + 1 :]), line, table.grid, tuple(cells)))
    return rows


def place_values(
    values: tuple[Cell, ...], width: int, *, grid: bool = False
) -> tuple[Cell, ...] | None:
    """The `width` value cells of a row, or None when they cannot be placed without guessing."""
    n = len(values)
    if n < width:
        return None
    if grid:
        window = values[n - width :]
        return window if all(not c.text.strip() for c in values[: n - width]) else None
    fits = []
    for start in range(n - width + 1):
        outside = values[:start] + values[start + width :]
        if all(not c.text.strip() for c in outside):
            fits.append(values[start : start + width])
    if not fits:
        return None
    texts = {tuple(c.text.strip() for c in window) for window in fits}
    return fits[0] if len(texts) == 1 else None


def merge_value_rows(rows: list[Row], is_header: Callable[[Row], bool]) -> list[Row]:
    """Attach a row of bare values to the label row above it when that row has no values
    (the numbers were printed on the next line: seed 001 予以公开). Header rows keep theirs."""
    out: list[Row] = []
    for row in rows:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not row.labels
            and row.has_values
            and previous.labels
            and not previous.has_values
            and not is_header(previous)
        ):
            out[-1] = Row(previous.labels, row.values, previous.line, row.grid)  # positions lost
            continue
        out.append(row)
    return out


def label_row(text: str, line: int) -> Row:
    """A label printed as a line of its own (a paragraph) directly above its values."""
    return Row((text,), (), line, False)


def segment(cells: Sequence[Cell], is_row_label: Callable[[str], bool] | None = None) -> list[Row]:
    """A run of cells without row boundaries -> rows, by the one rule the official format
    allows: a row is its label cells followed by its value cells (numbers, placeholders and
    empty cells), so every maximal run of label cells and the value cells after it is a row.

    A label run followed by values may hold a header before the row's own label
    (`信息内容`, `本年制发件数`, …, `规章`): it is cut before the shortest tail of label
    cells that is_row_label accepts, and the head becomes a header row of its own."""
    rows: list[Row] = []
    labels: list[Cell] = []
    values: list[Cell] = []

    def flush() -> None:
        if not labels and not values:
            return
        head, own = _split_header(labels, is_row_label) if values else ([], labels)
        if head:
            rows.append(_row(head, []))
        rows.append(_row(own, values))

    for cell in cells:
        if is_value_text(cell.text):
            values.append(cell)
            continue
        if values:
            flush()
            labels, values = [], []
        labels.append(cell)
    flush()
    return rows


def _split_header(
    labels: list[Cell], is_row_label: Callable[[str], bool] | None
) -> tuple[list[Cell], list[Cell]]:
    if is_row_label is None or len(labels) < 2:
        return [], labels
    for start in range(len(labels) - 1, -1, -1):
        if is_row_label("".join(c.text for c in labels[start:])):
            return labels[:start], labels[start:]
    return [], labels


def _row(labels: Sequence[Cell], values: Sequence[Cell]) -> Row:
    texts = tuple(c.text.strip() for c in labels if c.text.strip())
    first = labels[0] if labels else values[0]
    return Row(texts, tuple(values), first.line, False, (*labels, *values), segmented=True)
