"""Search terms for Pagefind: every key phrase of a page cut into its sub-words, and every
Chinese character of the page as a word of its own.

Pagefind segments Chinese at index time with a jieba-like dictionary (行政复议 stays one word),
but the browser segments the query with ICU (Intl.Segmenter: 行政复议 -> 行政|复|议, 伊美区 ->
伊美|区) and every piece must be the start of a word on the page. On the sample site the query
行政复议 found 2 of the 5 reports. Each report and agency page therefore carries, in an indexed
attribute, its key phrases cut by jieba.cut_for_search (whole phrase and parts) and each
character it contains, so any piece ICU produces starts a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

HAN = re.compile(r"[\u3400-\u9fff]")
PUNCTUATION = re.compile(r"[\W_]+")  # anything but letters, digits and Han characters


def search_terms(phrases: Iterable[str | None], text: str = "") -> str:
    """Space-separated words: each phrase, its pieces between punctuation, their sub-words, and
    every Chinese character of the phrases and of text (the page's other text)."""
    import jieba

    jieba.setLogLevel(60)
    words: dict[str, None] = {}
    phrases = list(phrases)
    for phrase in phrases:
        for piece in PUNCTUATION.split(phrase or ""):
            piece = re.sub(r"^[0-9一二三四五六七八九十]+[.．、]?", "", piece)
            if len(piece) < 2:
                continue
            words[piece] = None
            for word in jieba.cut_for_search(piece):
                if len(word) >= 2:
                    words[word] = None
    characters = {ch for part in (*phrases, text) for ch in (part or "") if HAN.match(ch)}
    return " ".join([*words, *sorted(characters)])
