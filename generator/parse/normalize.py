"""Text normalisation for matching labels and headings (never for values shown to people).

Labels arrive letter-spaced ("不予 公开"), with full-width or half-width brackets and digits,
with Markdown markers, or in traditional characters. `norm` maps all of these to one form so
that one keyword table matches every variant (format-and-rules.md §8).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

FULLWIDTH = str.maketrans(
    "０１２３４５６７８９（）：；，．。！％＋－／［］｛｝　",
    "0123456789():;,..!%+-/[]{} ",
)
QUOTES = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "〝": '"', "〞": '"'}
)
SPACES = re.compile(r"\s+")
PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]+\)")
"""Pinyin a mirror site put after characters (`區(qū)`, `規(guī)章`): not the report's text."""
MARKUP = re.compile(r"[*#`>]+")

# Characters that exist only in traditional script and are common in these reports; a text
# with several of them is converted before matching (opencc is slow: convert only then).
TRADITIONAL_MARKERS = set("報告資訊開處總複訴請與計據經權許罰費業務機關門縣區鄉鎮國於對這個為會")
TRADITIONAL_THRESHOLD = 5


def looks_traditional(text: str) -> bool:
    return sum(1 for ch in set(text) if ch in TRADITIONAL_MARKERS) >= TRADITIONAL_THRESHOLD


class _Converter(Protocol):
    """What is used of opencc.OpenCC (opencc-python-reimplemented has no type information)."""

    def convert(self, string: str) -> str: ...


@lru_cache(maxsize=1)
def _converter() -> _Converter:
    from opencc import OpenCC

    converter: _Converter = OpenCC("t2s")
    return converter


def to_simplified(text: str) -> str:
    return _converter().convert(text)


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Matching form: half-width digits/brackets, ASCII quotes, no spaces or Markdown markers."""
    text = PINYIN_GLOSS.sub("", text.translate(FULLWIDTH).translate(QUOTES))
    text = MARKUP.sub("", text)
    return SPACES.sub("", text)


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one inserted, deleted or changed character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = 0
    edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


def near_label(text: str, labels: dict[str, str], *, min_length: int = 3) -> str | None:
    """The id whose official label `text` is one character off (a typo `行政事业型收费`, a
    character a mirror dropped `政许可`), when exactly one label is; labels shorter than
    min_length never match this way (规章 vs 规范 would)."""
    if len(text) < min_length:
        return None
    found = {
        key
        for key, label in labels.items()
        if len(label) >= min_length and edit_distance_at_most_one(text, label)
    }
    return found.pop() if len(found) == 1 else None
