"""The words of the search index (generator/search_words.py): a page's words hold every word
of any query its text contains, whatever a segmenter would make of either.

The browser twin (the search box's searchWords) is compared with query_words in
tests/test_search_recall.py."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search_words import (
    END_MARK,
    PAIR_MARK,
    UNIT_MARK,
    meta_value,
    page_words,
    query_words,
    units,
)


def test_units_are_characters_and_runs_of_letters_and_digits() -> None:
    assert units("伊美区2021年，Total-ORG　２０２１") == [
        ["伊", "美", "区", "2021" + END_MARK, "年"],
        ["total" + END_MARK],
        ["org" + END_MARK],
        ["2021" + END_MARK],  # NFKC: full-width digits are digits
    ]


def test_page_words_are_every_unit_and_every_adjacent_pair() -> None:
    assert page_words("伊春市 2021年") == {
        UNIT_MARK + "伊",
        UNIT_MARK + "春",
        UNIT_MARK + "市",
        UNIT_MARK + "2021" + END_MARK,
        UNIT_MARK + "年",
        PAIR_MARK + "伊春",
        PAIR_MARK + "春市",
        PAIR_MARK + "2021" + END_MARK + "年",
    }


def test_a_query_looks_up_its_pairs_or_its_single_unit() -> None:
    # the browser segments 伊春市 as 伊|春|市 and Pagefind 1.5.2 the page as 伊春市: irrelevant
    assert query_words("伊春市") == [PAIR_MARK + "伊春", PAIR_MARK + "春市"]
    assert query_words("省") == [UNIT_MARK + "省"]
    assert query_words("total") == [UNIT_MARK + "total" + END_MARK]
    assert query_words("伊美区 伊美区，2021") == [
        PAIR_MARK + "伊美",
        PAIR_MARK + "美区",
        UNIT_MARK + "2021" + END_MARK,
    ]
    assert query_words("  ，。") == []


def test_no_word_begins_another_a_query_can_ask_for() -> None:
    """Pagefind answers an unknown word with the longest known word that begins it: a pair or
    a run of letters must never be begun by another word, or 石家庄 finds pages with 石."""
    words = page_words("石家 x xy 2021年 区2021 伊美区")
    for word in words:
        begun = {other for other in words if other != word and other.startswith(word)}
        assert not begun, (word, begun)


def test_meta_value_is_sorted_and_holds_no_field_separator() -> None:
    words = page_words("乙甲，丙 a,b")
    assert meta_value(words) == " ".join(sorted(words))
    assert "," not in meta_value(words) and ":" not in meta_value(words)


HAN = "伊美区春市人民政府黑龙江省行政复议公开申请〇𠀋"  # 〇 and an astral character too
PIECES = st.one_of(
    st.text(alphabet=st.sampled_from(HAN), min_size=1),
    st.sampled_from([" ", "，", "。", "（", "）", "/", "-", "2021", "Total", "x", "２０"]),
)


def _letter_or_digit(char: str) -> bool:
    return char.isalnum() and char not in HAN


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12), st.data())
def test_a_query_the_text_contains_finds_the_text(pieces: list[str], data: st.DataObject) -> None:
    """Every query word of a substring of the text is one of the text's words, for any
    substring that does not cut a run of letters or digits (those are whole words)."""
    text = "".join(pieces)
    points = [
        p
        for p in range(len(text) + 1)
        if not (0 < p < len(text) and _letter_or_digit(text[p - 1]) and _letter_or_digit(text[p]))
    ]
    start = data.draw(st.sampled_from(points))
    end = data.draw(st.sampled_from([p for p in points if p >= start]))
    query = text[start:end]
    assert set(query_words(query)) <= page_words(text), (text, query)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from([*"伊美区2021年abXZ_ ，。-\u3000\x00①Ａ１〇é", "\U00020000"]))
)
def test_page_words_are_the_words_of_the_units(text: str) -> None:
    """page_words makes the words in one pass over the text; they are those of units()."""
    expected = set()
    for run in units(text):
        expected |= {UNIT_MARK + unit for unit in run}
        expected |= {PAIR_MARK + a + b for a, b in itertools.pairwise(run)}
    assert page_words(text) == expected
