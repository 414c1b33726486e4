"""Text normalisation for matching labels and headings (never for values shown to people).

Labels arrive letter-spaced ("不予 公开"), with full-width or half-width brackets and digits,
with Markdown markers, or in traditional characters. `norm` maps all of these to one form so
that one keyword table matches every variant (format-and-rules.md §8).
"""

from __future__ import annotations

import re
from functools import lru_cache

FULLWIDTH = str.maketrans(
    "０１２３４５６７８９（）：；，．。！％＋－／［］｛｝　",
    "0123456789():;,..!%+-/[]{} ",
)
QUOTES = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "〝": '"', "〞": '"'}
)
SPACES = re.compile(r"\s+")
MARKUP = re.compile(r"[*#`>]+")

# Characters that exist only in traditional script and are common in these reports; a text
# with several of them is converted before matching (opencc is slow: convert only then).
TRADITIONAL_MARKERS = set("報告資訊開處總複訴請與計據經權許罰費業務機關門縣區鄉鎮國於對這個為會")
TRADITIONAL_THRESHOLD = 5


def looks_traditional(text: str) -> bool:
    return sum(1 for ch in set(text) if ch in TRADITIONAL_MARKERS) >= TRADITIONAL_THRESHOLD


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Matching form: half-width digits/brackets, ASCII quotes, no spaces or Markdown markers."""
    text = text.translate(FULLWIDTH).translate(QUOTES)
    text = MARKUP.sub("", text)
    return SPACES.sub("", text)
