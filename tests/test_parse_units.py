"""Small parametrized cases for the parser's building blocks (cells, rows, headings, facts)."""

from __future__ import annotations

import pytest

from generator.document import Cell
from generator.ingest.text import read
from generator.parse import parse_document
from generator.parse.facts import find_date, find_period
from generator.parse.normalize import norm
from generator.parse.numbers import parse_cell
from generator.parse.rows import place_values
from generator.parse.sections import classify_heading


@pytest.mark.parametrize(
    ("text", "money", "signed", "value", "code"),
    [
        ("5", False, False, 5, None),
        ("０１２", False, False, 12, None),
        ("7,912", False, False, 7912, None),
        ("5125.11", True, False, 5125.11, None),
        ("18.8710", True, False, 18.871, None),
        ("2.5", False, False, None, "decimal-count"),
        ("152790元", True, False, 152790, "unit-suffix"),
        ("3件", False, False, 3, "unit-suffix"),
        ("-8", False, True, -8, None),
        ("-8", False, False, -8, "negative-number"),
        ("", False, False, None, "blank-cell"),
        ("/", False, False, None, "placeholder-cell"),
        ("—", False, False, None, "placeholder-cell"),
        ("-", False, False, None, "placeholder-cell"),
        ("无", False, False, None, "placeholder-cell"),
        ("约5", False, False, None, "bad-number"),
        ("1,23", False, False, None, "bad-number"),
    ],
)
def test_parse_cell(text, money, signed, value, code):
    parsed = parse_cell(text, money=money, signed=signed)
    assert (parsed.value, parsed.code) == (value, code)


def cells(*texts: str) -> tuple[Cell, ...]:
    return tuple(Cell(t, 1) for t in texts)


@pytest.mark.parametrize(
    ("values", "grid", "expected"),
    [
        (
            ("", "5", "0", "0", "0", "0", "0", "5", ""),
            False,
            ("5", "0", "0", "0", "0", "0", "5"),
        ),  # seed 000 row 一
        (("", "", "0", "0", "0", "0", "0", "0", "0"), False, ("0",) * 7),
        (("",) * 7, False, ("",) * 7),  # a blank row stays blank, in place
        (("", "0", "0", "0", "0", "0", "0", ""), False, None),  # 6 numbers, 8 cells: two placements
        (("3", "0", "3"), False, None),  # fewer numbers than columns
        (
            ("", "", "0", "0", "0", "0", "0", "0", ""),
            True,
            ("0",) * 6 + ("",),
        ),  # grid: last cell is 总计
        (("", "", "", "0", "0", "0", "0", "0", "0"), True, ("", "0", "0", "0", "0", "0", "0")),
    ],
)
def test_place_values_never_guesses(values, grid, expected):
    placed = place_values(cells(*values), 7, grid=grid)
    assert (tuple(c.text for c in placed) if placed else None) == expected


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("一、总体情况", "overview"),
        ("### 一、总体情况", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("二、行政机关主动公开政府信息情况", "proactive"),
        ("三、收到和处理政府信息公开申请情况", "requests"),
        ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "appeals"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("五、存在问题及改进情况", "problems"),
        ("六、其他需要报告的事项", "other"),
        ("其他需要报告的事项", "other"),
        ("一、本年新收政府信息公开申请数量", None),
        ("一是做好各类规划主动公开", None),
        ("（一）主动公开情况", None),
    ],
)
def test_classify_heading(line, section):
    assert classify_heading(norm(line.lstrip("# "))) == section


def test_dates_and_period():
    assert find_date("2021年1月8日").isoformat() == "2021-01-08"
    assert find_date("二〇二二年一月二十日").isoformat() == "2022-01-20"
    assert find_date("2021年2月30日") is None
    assert find_period(
        ["本报告所列数据的统计期限自 2020 年 1 月 1 日起至 2020 年 12 月 31 日止"]
    ) == {"start": "2020-01-01", "end": "2020-12-31"}


def test_appeals_one_row_per_group():
    text = "\n".join(
        [
            "某县人民政府2021年政府信息公开工作年度报告",
            "四、政府信息公开行政复议、行政诉讼情况",
            "类别\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            "行政复议\t1\t0\t0\t0\t1",
            "未经复议直接起诉\t0\t2\t0\t0\t2",
            "复议后起诉\t0\t0\t0\t1\t1",
        ]
    )
    record = parse_document(read(text.encode(), "x.txt")).to_dict()
    assert record["appeals"] == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "suit_direct": {"upheld": 0, "corrected": 2, "other": 0, "pending": 0, "total": 2},
        "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    }


def test_gbk_text_and_bom_are_read():
    text = "某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
    for data in (text.encode("gbk"), text.encode("utf-8-sig"), text.encode("gb18030")):
        record = parse_document(read(data, "x.txt")).to_dict()
        assert record["agency"]["name"] == "某县人民政府"
        assert record["year"] == 2021


@pytest.mark.parametrize(
    ("wrapped", "joined"),
    [
        (["本年新收", "数量"], "本年新收数量"),  # CJK: no space
        (["791", "2"], "7912"),  # a number wrapped in a narrow cell
        (["Total", "2021"], "Total 2021"),  # Latin words: one space
    ],
)
def test_a_wrapped_cell_line_joins_as_in_pdf_docx_and_html(wrapped, joined):
    """One-cell-a-line text: a continuation line joins its cell by the rule the other readers
    use (generator.ingest.encoding.join_wrapped), so a report reads the same in any format."""
    from generator.ingest.encoding import join_wrapped

    text = "\t（一）予以公开\n\t" + "\n".join(wrapped) + "\n\t3\n"
    table = next(b for b in read(text.encode("utf-8"), "x.txt").blocks if hasattr(b, "rows"))
    assert [c.text for c in table.rows[0]] == ["（一）予以公开", joined, "3"]
    assert join_wrapped(wrapped) == joined


def test_parse_cell_cache_keeps_each_call_apart():
    """The cache of parse_cell is keyed by text, money and signed: the same text read with
    other options, or with a low OCR confidence, gives its own answer."""
    assert parse_cell(" 1.5 ", money=True).value == 1.5
    assert parse_cell("1.5").code == "decimal-count"
    assert parse_cell("-3").code == "negative-number"
    assert parse_cell("-3", signed=True).code is None
    assert parse_cell("7", confidence=0.5).code == "ocr-unconfirmed"
    assert parse_cell("7", confidence=0.95).value == 7
    assert parse_cell(" ", confidence=0.5).code == "blank-cell"
