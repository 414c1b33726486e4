"""Honest pages (issue 14): semantic colours with text labels, integer ticks for counts, no
ranking of 0% shares, region sums that say when a report in them does not add up."""

from __future__ import annotations

import re

import pytest

from generator.render import charts


def test_levels_have_their_colours_and_their_names():
    svg = str(
        charts.bar_chart(
            [("合规检查：错误", [1, 2]), ("合规检查：警告", [0, 1]), ("合规检查：提示", [3, 0])],
            [2021, 2022],
            "合规检查",
        )
    )
    assert "#c62828" in svg and "#b26a00" in svg and "#1565c0" in svg  # red, amber, blue
    for label in ("错误", "警告", "提示"):
        assert label in svg  # the legend names them: colour is never the only cue


def test_one_year_by_level_colours_each_bar_by_its_level():
    # An agency with one year draws one series over the levels: each bar keeps its level's
    # colour (it was the palette's first blue for all three).
    svg = str(charts.bar_chart([("发现条数", [1, 8, 3])], ["错误", "警告", "提示"], "按级别"))
    fills = re.findall(r'class="nb-bar"[^>]*fill="(#[0-9a-f]{6})"', svg)
    assert fills == ["#c62828", "#b26a00", "#1565c0"]


@pytest.mark.parametrize("top", [1, 3, 6, 7, 8, 9, 10, 11, 13, 30, 75, 99, 101, 1000, 9999])
def test_count_axes_have_integer_ticks(top):
    svg = str(charts.line_chart([("申请", [0, top])], [2021, 2022], "申请"))
    ticks = re.findall(r">([\d.&#;]+)</text>", svg)  # "2.5" is written "2&#46;5"
    assert ticks
    assert all("." not in tick and "&#46;" not in tick for tick in ticks), ticks


def _record(rid: str, received: int, granted: int, handled: int):
    from conftest import base_record

    from generator.model import Record

    data = base_record(rid, "某局", 2022, "2021", None)
    data["requests"]["received"] = [received, 0, 0, 0, 0, 0, received]
    data["requests"]["granted"] = [granted, 0, 0, 0, 0, 0, granted]
    data["requests"]["handled_total"] = [handled, 0, 0, 0, 0, 0, handled]
    return Record.from_dict(data)


def test_no_share_ranking_of_zero_granted_or_a_zero_denominator():
    from generator.render.indexes import year_rankings

    ranked = _record("a-ju/2022", 20, 5, 20)
    nothing_granted = _record("b-ju/2022", 20, 0, 20)
    nothing_handled = _record("c-ju/2022", 20, 0, 0)
    shares = year_rankings([ranked, nothing_granted, nothing_handled])["share"]
    assert [item["record"].key for item in shares] == ["a-ju/2022"]


def test_a_null_cell_says_why_and_an_unreadable_one_is_marked(tmp_path):
    """Blank and unreadable are different facts: a cell the report left blank says 报告未填写,
    one it filled with something that is not a number (or OCR could not confirm) says so and
    is marked with a ?; the report's own text in the tooltip stays text."""
    from conftest import HOSTILE, RULES, base_record, make_corpus, page_text

    from generator.render import render_site

    data = base_record("ceshi-ju/2022", "测试局", 2022, "2021", None)
    data["requests"]["granted"][6] = None  # printed "<b>x</b>", not a number
    data["requests"]["granted"][0] = None  # OCR could not confirm it
    data["appeals"]["suit_direct"]["upheld"] = None  # a row whose numbers fit no columns
    data["appeals"]["suit_direct"]["total"] = None
    warnings = data["parse"]["warnings"]
    warnings += [
        {
            "code": "bad-number",
            "message": "m",
            "line": 3,
            "where": "requests.granted.total",
            "text": HOSTILE,
        },
        {
            "code": "ocr-unconfirmed",
            "message": "m",
            "line": 3,
            "where": "requests.granted.natural_person",
            "text": "7",
        },
        {"code": "ambiguous-row", "message": "m", "line": 9, "where": "appeals.suit_direct"},
        {"code": "ambiguous-row", "message": "m", "line": 9, "where": "requests"},  # no cell
    ]
    content = tmp_path / "content"
    render_site(make_corpus(tmp_path, [data]), RULES, content)
    page = page_text(content / "reports" / "ceshi-ju" / "2022.md")

    def td(anchor: str) -> str:
        return re.search(rf'<td id="{anchor}"[^>]*>.*?</td>', page).group(0)

    assert 'class="nb-null nb-unread"' in td("requests-granted-total")
    assert "<sup>?</sup>" in td("requests-granted-total")
    assert "<script" not in td("requests-granted-total") and "不是数字" in td(
        "requests-granted-total"
    )
    assert "OCR 未能确认" in td("requests-granted-natural_person")
    assert "无法确定各属哪一列" in td("appeals-suit_direct-upheld")
    assert "nb-unread" in td("appeals-suit_direct-total")
    # the review row is blank in the record and has no warning: not filled in, not marked
    assert (
        td("appeals-review-total")
        == '<td id="appeals-review-total" class="nb-null" title="报告未填写">—</td>'
    )
    # the table-level ambiguous row nulls no cell of its own
    assert "nb-unread" not in td("requests-received-total")
    assert "带 ? 的“—”是报告填写了、但无法可靠读出数字的格" in page
