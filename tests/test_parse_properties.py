"""Property tests for the parser: random valid tables, written out in every text layout the
reader supports, parse back to the same values; arbitrary text never makes the parser raise."""

from __future__ import annotations

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ingest.text import read
from generator.parse import parse_document
from generator.record import (
    APPEAL_FIELDS,
    APPEAL_GROUPS,
    PROACTIVE_2019,
    PROACTIVE_2021,
    request_rows,
)

COUNT = st.integers(min_value=0, max_value=99999)
CELL = st.one_of(COUNT, st.none())

HEADERS_2021 = {
    ("issued", "repealed", "in_force"): ["本年制发件数", "本年废止件数", "现行有效件数"],
    ("decisions",): ["本年处理决定数量"],
    ("amount",): ["本年收费金额（单位：万元）"],
}
HEADERS_2019 = {
    ("made", "published", "total_published"): [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
    ],
    ("previous", "change", "decisions"): ["上一年项目数量", "本年增/减", "处理决定数量"],
    ("previous", "change"): ["上一年项目数量", "本年增/减"],
    ("projects", "amount"): ["采购项目数量", "采购总金额"],
}


@st.composite
def records(draw, blanks_allowed: bool = True) -> dict:
    edition = draw(st.sampled_from(["2019", "2021"]))
    blanks = blanks_allowed and draw(st.booleans())  # with blank cells, or fully filled
    cell = CELL if blanks else COUNT
    proactive = {}
    for key, _, fields in PROACTIVE_2019 if edition == "2019" else PROACTIVE_2021:
        proactive[key] = {f: draw(cell) for f in fields}
    requests = {row: [draw(cell) for _ in range(7)] for row, _ in request_rows(edition)}
    appeals = {g: {f: draw(cell) for f in APPEAL_FIELDS} for g, _ in APPEAL_GROUPS}
    return {"edition": edition, "proactive": proactive, "requests": requests, "appeals": appeals}


def _text(value) -> str:
    return "" if value is None else str(value)


def table_rows(record: dict) -> list[tuple[str, list[list[str]]]]:
    """(section heading, rows of cell texts) for the three tables, labels first."""
    edition = record["edition"]
    spec = PROACTIVE_2019 if edition == "2019" else PROACTIVE_2021
    headers = HEADERS_2019 if edition == "2019" else HEADERS_2021
    section2 = []
    for key, label, fields in spec:
        section2.append(["信息内容", *headers[fields]])
        section2.append([label, *(_text(record["proactive"][key][f]) for f in fields)])
    section3 = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    for row_id, label in request_rows(edition):
        section3.append([label, *(_text(v) for v in record["requests"][row_id])])
    section4 = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        [_text(record["appeals"][g][f]) for g, _ in APPEAL_GROUPS for f in APPEAL_FIELDS],
    ]
    return [
        ("二、主动公开政府信息情况", section2),
        ("三、收到和处理政府信息公开申请情况", section3),
        ("四、政府信息公开行政复议、行政诉讼情况", section4),
    ]


def write_tabs(rows):
    return "\n".join("\t".join(row) for row in rows)


def write_pipes(rows):
    return "\n".join(" | ".join(row) + " |" for row in rows)


def write_markdown(rows):
    width = max(len(r) for r in rows)
    lines = []
    for index, row in enumerate(rows):
        padded = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(padded) + " |")
        if index == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def write_cell_per_line_tabs(rows):
    return "\n\n".join("\n".join("\t" + cell for cell in row) for row in rows)


def write_cell_per_line_pipes(rows):
    return "\n\n".join("\n".join(f"{cell} |" if cell else "|" for cell in row) for row in rows)


def write_cell_bar_alternating(rows):
    """`cell`, `|`, `cell`, `|` …: every bare `|` closes the cell above; an empty cell is a
    `|` right after another."""
    return "\n".join(f"{cell}\n|" if cell else "|" for row in rows for cell in row)


def write_terminated_with_fillers(rows):
    """`cell |` lines, a bare `|` for an empty cell, `||` filler pipes after every row."""
    return "\n".join(
        "\n".join([*(f"{cell} |" if cell else "|" for cell in row), "||"]) for row in rows
    )


def write_blank_line_cells(rows):
    """Every cell a line of its own between blank lines (empty cells cannot be printed)."""
    return "\n\n".join(cell for row in rows for cell in row)


def write_space_line(rows):
    """The whole table on one line, cells separated by spaces (empty cells lost)."""
    return " ".join(cell.replace(" ", "") for row in rows for cell in row)


LAYOUTS = {
    "tabs": write_tabs,
    "pipes": write_pipes,
    "markdown": write_markdown,
    "cell-per-line-tabs": write_cell_per_line_tabs,
    "cell-per-line-pipes": write_cell_per_line_pipes,
    "cell-bar-alternating": write_cell_bar_alternating,
    "terminated-with-fillers": write_terminated_with_fillers,
    "blank-line-cells": write_blank_line_cells,
    "space-line": write_space_line,
}
NO_BLANKS = {"blank-line-cells", "space-line"}
"""Layouts that cannot print an empty cell: their tables are drawn fully filled."""


def report_text(record: dict, layout: str) -> str:
    year = 2020 if record["edition"] == "2019" else 2022
    parts = [
        f"某某县人民政府办公室{year}年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作情况如下。",
    ]
    for heading, rows in table_rows(record):
        parts += [heading, LAYOUTS[layout](rows)]
    parts += ["五、存在的主要问题及改进情况", "问题与改进。", "六、其他需要报告的事项", "无。"]
    return "\n\n".join(parts) + "\n"


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(LAYOUTS)), st.data())
def test_tables_round_trip_in_every_layout(layout, data):
    record = data.draw(records(blanks_allowed=layout not in NO_BLANKS))
    text = report_text(record, layout)
    parsed = parse_document(read(text.encode("utf-8"), "generated.txt")).to_dict()
    assert parsed["edition"] == record["edition"]
    assert parsed["requests"] == record["requests"]
    assert parsed["appeals"] == record["appeals"]
    assert parsed["proactive"] == record["proactive"]
    nulls = sum(v is None for row in record["requests"].values() for v in row)
    blank_warnings = [
        w
        for w in parsed["parse"]["warnings"]
        if w["code"] == "blank-cell" and w["where"].startswith("requests.")
    ]
    assert len(blank_warnings) == nulls


@settings(max_examples=examples(200), deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "一二三四五六、（）()0123456789 \t\n|#*-/予以公开总计行政复议申请本年新收规章信息内容无"
            )
        ),
        max_size=400,
    )
)
def test_arbitrary_text_never_raises(text):
    record = parse_document(read(text.encode("utf-8"), "random.txt"))
    assert record.schema == "nianbao/record/1"


@settings(max_examples=examples(100), deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text):
    try:
        document = read(text.encode("utf-8"), "random.txt")
    except Exception as error:  # only the documented refusal is allowed
        from generator.errors import SourceError

        assert isinstance(error, SourceError)
        return
    parse_document(document)
