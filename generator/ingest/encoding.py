"""Encoding detection for text-like inputs: bytes -> str, saying when the encoding was a guess.

Chinese government sites and Word exports produce UTF-8 (with or without BOM), UTF-16 (Notepad
"Unicode") and GB2312/GBK/GB18030. GB18030 is a superset of GBK and GB2312, so any of those
names decodes as gb18030 (a GBK file with a few GB18030-only characters still decodes).
"""

from __future__ import annotations

import codecs
import re

GB_ALIASES = frozenset(
    {"gb2312", "gbk", "gb18030", "cp936", "ms936", "x-gbk", "gb_2312-80", "euc-cn", "hz-gb-2312"}
)
"""Declared or detected names that are decoded as gb18030 (its superset)."""

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def normalize_encoding(name: str) -> str:
    """A declared charset name -> the Python codec to use ("GB2312" -> "gb18030")."""
    lowered = name.strip().strip("\"'").lower()
    if lowered in GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(lowered).name
    except LookupError:
        return lowered


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of data, else None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes) -> tuple[str, str | None]:
    """bytes -> (text, warning or None).

    Order: BOM (utf-8-sig, utf-16, utf-32), strict UTF-8, strict GB18030, then
    charset-normalizer's best guess. The warning is None when the decoding was certain (BOM or
    strict UTF-8), and otherwise names the encoding used, e.g. "decoded as gb18030 (no BOM, not
    UTF-8)", so the reader can record an `encoding-guessed` warning.
    """
    bom = bom_encoding(data)
    if bom is not None:
        try:
            return data.decode(bom), None
        except UnicodeDecodeError:
            pass  # a BOM followed by garbage: fall through to detection
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text, "decoded as gb18030 (no BOM, not UTF-8)"
    guessed = _detect(data)
    if guessed is not None:
        encoding, decoded = guessed
        return decoded, f"decoded as {encoding} (detected; no BOM, not UTF-8 or GB18030)"
    if text is not None:
        return text, "decoded as gb18030 (no BOM, not UTF-8)"
    return data.decode("gb18030", errors="replace"), (
        "encoding unknown: decoded as gb18030 with undecodable bytes replaced by U+FFFD"
    )


def _looks_chinese(text: str) -> bool:
    """True when a gb18030 decoding produced mostly common CJK, not mojibake from another codec.

    Almost any byte string decodes as GB18030, so a strict decode alone proves little; Latin-1
    or Big5 bytes decoded as GB18030 give rare characters and control codes instead.
    """
    if not text:
        return True
    high = [ch for ch in text if ord(ch) > 0x7F]
    if not high:
        return True
    cjk = sum(
        1
        for ch in high
        if _CJK.match(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return cjk / len(high) >= 0.9


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess -> (codec, text), or None when it has none."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    encoding = normalize_encoding(best.encoding)
    try:
        return encoding, data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


# --- joining wrapped text (shared by the PDF, DOCX and HTML readers) ---------------------------

_CJK_CHAR = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019]"
)


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs, CJK punctuation, full-width forms and curly quotes."""
    return bool(_CJK_CHAR.match(ch))


def join_wrapped(parts: list[str] | tuple[str, ...]) -> str:
    """Lines of one cell or paragraph -> one string, joined the way the line was wrapped.

    No separator when either side of the break is CJK ("商业" + "企业" -> "商业企业",
    "3486" + "条" -> "3486条") or both sides are digits (a number wrapped in a narrow cell:
    "791" + "2" -> "7912"); a space between Latin words ("Total" + "2021" -> "Total 2021").
    """
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _needs_space(out[-1], part[0]):
            out += " "
        out += part
    return out


def _needs_space(left: str, right: str) -> bool:
    if is_cjk(left) or is_cjk(right):
        return False
    return not (left.isdigit() and right.isdigit())


# ---- cells printed over several lines (PDF, Word and web tables) -------------------------------

LINE_VALUE = re.compile(r"^(?:[+-]?[\d,]+(?:\.\d+)?\s*(?:万元|元|件|个|条|项|次)?|[/／\-－—–]|无)$")
"""One line of a cell that is a value on its own (a number, a placeholder)."""
ITEM_START = re.compile(r"^\(?[0-9０-９]+\s*[.．、)）]")
"""A line that starts a numbered row label (1.属于国家秘密, 2、重复申请)."""


def unstack_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows of cells whose lines are separated by "\\n" -> rows of one-line cell texts.

    Tables are printed with several table rows in one ruled row (the （六） sub-rows drawn
    undivided: values "0\\n1\\n0" in every value cell): a row where two or more cells hold the
    same number k > 1 of lines that are each a value, and whose label cell starts k numbered
    items, becomes k rows. Otherwise a cell's lines are joined as wrapped text, except that the
    value lines of a cell are never glued into one number when another value cell of the row
    is stacked too (`1`+`2` stays "1 2", which no reader takes for 12); a single number
    wrapped in a narrow cell ("791" / "2") is one number."""
    out: list[list[str]] = []
    for row in rows:
        lines = [[part.strip() for part in cell.split("\n") if part.strip()] for cell in row]
        stacked = [ls for ls in lines if len(ls) > 1 and all(LINE_VALUE.match(x) for x in ls)]
        counts = {len(ls) for ls in stacked}
        if len(stacked) >= 2 and len(counts) == 1:
            k = counts.pop()
            split = _split_stacked(lines, k)
            if split is not None:
                out.extend(split)
                continue
        glue = len(stacked) < 2
        out.append([_cell_text(ls, glue) for ls in lines])
    return out


def _cell_text(lines: list[str], glue_numbers: bool) -> str:
    if not glue_numbers and len(lines) > 1 and all(LINE_VALUE.match(x) for x in lines):
        return " ".join(lines)
    return join_wrapped(lines)


def _split_stacked(lines: list[list[str]], k: int) -> list[list[str]] | None:
    """k rows from a row of k stacked values, or None when the labels cannot be split
    into k items (then the row is read as it is, each stacked cell "a b c": not a number)."""
    rows: list[list[str]] = [[] for _ in range(k)]
    labelled = False
    for cell in lines:
        if len(cell) == k and all(LINE_VALUE.match(x) for x in cell):
            for i in range(k):
                rows[i].append(cell[i])
            continue
        items = _items(cell)
        if len(items) == k and cell:
            labelled = True
            for i in range(k):
                rows[i].append(items[i])
        else:  # a group label or an empty cell: it belongs to the first of the k rows
            for i in range(k):
                rows[i].append(join_wrapped(cell) if i == 0 else "")
    return rows if labelled else None


def _items(lines: list[str]) -> list[str]:
    """Lines of a label cell -> its numbered items, wrapped lines joined."""
    items: list[list[str]] = []
    for line in lines:
        if ITEM_START.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return [join_wrapped(item) for item in items] if items and ITEM_START.match(lines[0]) else []
