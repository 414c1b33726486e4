"""The words a page is found by: every character and every pair of adjacent characters.

The search box (overrides/assets/javascripts/nianbao-search.js, function `searchWords`) cuts
the query the same way and Pagefind looks each word up exactly, so a page is found by any
string its text contains, whatever a word segmenter would make of it. Pagefind alone cuts
page text with one segmenter (jieba-like in 1.5.2, ICU4X in 1.6.0) and the browser cuts the
query with another (Intl.Segmenter): 伊春市 became 伊|春|市 in the query and 伊春市 on the
page, and 300 synthetic reports answered 伊春市 with 0 of the 34 pages containing it
(bench/README.md, "Search recall").

A unit is one Chinese character or a run of letters and digits (2021, total); the words are
each unit and each pair of adjacent units within a run of text without spaces or
punctuation (伊美区2021年 -> 伊 美 区 2021 年 伊美 美区 区2021 2021年). Pagefind answers a word
it does not know with the longest word it knows that begins it (石家庄 found 58 pages on a
site without it), so no word may begin another one that a query could ask for: two marks
keep units and pairs apart from each other and from Pagefind's own words of the page body,
and a run of letters or digits ends with a third (x does not begin xyzzy). Every word of a
query is thus looked up exactly: total finds total, tot finds nothing.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

UNIT_MARK = "ǀ"
"""Before a unit (U+01C0, a letter no page text uses; Pagefind keeps letters and lowercases
nothing here, as the letter has no case)."""
PAIR_MARK = "ǁ"
"""Before a pair of units (U+01C1)."""
END_MARK = "ǂ"
"""After a run of letters or digits (U+01C2)."""
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""〇 and the CJK unified and compatibility ideographs: one unit per character."""
RUN = re.compile(r"[^\W_]+")
"""Letters, digits and Chinese characters without a space or punctuation between them."""
UNIT = re.compile(f"[{HAN}]|[^\\W_{HAN}]+")
HAN_CHAR = re.compile(f"[{HAN}]")


def units(text: str) -> list[list[str]]:
    """The runs of text (NFKC, lower case), each as its list of units, a run of letters or
    digits with END_MARK."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [
        [unit if HAN_CHAR.fullmatch(unit) else unit + END_MARK for unit in UNIT.findall(run)]
        for run in RUN.findall(text)
    ]


BREAK = "\x00"
"""What stands between two runs in page_words' tokens (NUL is no unit: not a word character)."""
_BETWEEN_RUNS = re.compile(r"[\W_]+")
_LETTERS_DIGITS = re.compile(f"[^\\W_{HAN}]+")
_TOKEN = re.compile(f"[{HAN}]|[^\\W_{HAN}]+|{BREAK}")


def page_words(text: str) -> set[str]:
    """Every unit and every pair of adjacent units of the text, marked: the words of units()
    (tests/test_search_words.py compares them), made from one list of the text's units with
    BREAK between its runs, so that the loops over every unit run inside re and set."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _LETTERS_DIGITS.sub(r"\g<0>" + END_MARK, _BETWEEN_RUNS.sub(BREAK, text))
    tokens = _TOKEN.findall(text)
    found = set(tokens)
    found.discard(BREAK)
    pairs = {pair for pair in set(map(operator.add, tokens, tokens[1:])) if BREAK not in pair}
    return {UNIT_MARK + unit for unit in found} | {PAIR_MARK + pair for pair in pairs}


def query_words(query: str) -> list[str]:
    """The words a query looks up (a run of one unit is that unit, a longer run its pairs),
    in order, once each; the Python twin of the search box's searchWords (tested together)."""
    words: dict[str, None] = {}
    for run in units(query):
        if len(run) == 1:
            words[UNIT_MARK + run[0]] = None
        for a, b in pairwise(run):
            words[PAIR_MARK + a + b] = None
    return list(words)


def meta_value(words: Iterable[str]) -> str:
    """Words as one Pagefind metadata value: sorted (same inputs, same bytes), space-separated.
    Pagefind splits metadata at spaces only and separates fields at commas, which no word
    holds (punctuation ends a run)."""
    return " ".join(sorted(words))
