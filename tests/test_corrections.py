"""Corrections sidecars: applied after parsing with the parsed value kept as `original`; an
invalid entry is skipped and listed (sidecar, entry, what was expected), the report is still
published with its valid corrections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import parse_file

from generator.corrections import apply_corrections, load_sidecar
from generator.pipeline import check_corpus_records, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    ROOT / "reports" / "福建省" / "三明市" / "建宁县" / "伊家乡" / "伊家乡人民政府-2020年报.txt"
)
RELATIVE = "伊家乡/伊家乡人民政府-2020年报.txt"
SIDECAR = RELATIVE + ".corrections.yml"

GOOD = """\
- path: requests.granted.total
  value: 3
  reason: 总计 misprinted
  by: 张三
  date: 2022-03-01
- path: proactive.procurement.amount
  value: 12.5
  reason: amount in 万元
  by: 李四
  date: "2022-03-02"
- path: appeals.review.upheld
  value: 1
  reason: one review upheld
  by: 张三
  date: 2022-03-01
- path: published
  value: 2021-01-09
  reason: 落款 date misread
  by: 张三
  date: 2022-03-01
- path: title
  value: 伊家乡2020年政府信息公开工作年度报告
  reason: spaces in the title
  by: 张三
  date: 2022-03-01
"""


def make_reports(tmp_path: Path, sidecar: str | None) -> Path:
    reports = tmp_path / "reports"
    (reports / "伊家乡").mkdir(parents=True)
    shutil.copy(SAMPLE, reports / RELATIVE)
    if sidecar is not None:
        (reports / SIDECAR).write_text(sidecar, "utf-8")
    return reports


def test_corrections_are_applied_with_the_original(tmp_path):
    corpus = load_corpus(make_reports(tmp_path, GOOD))
    assert corpus.failures == () and len(corpus.records) == 1
    record = corpus.records[0].to_dict()
    assert record["requests"]["granted"][6] == 3
    assert record["proactive"]["procurement"]["amount"] == 12.5
    assert record["appeals"]["review"]["upheld"] == 1
    assert record["published"] == "2021-01-09"
    assert record["title"] == "伊家乡2020年政府信息公开工作年度报告"
    assert record["corrections"] == [
        {
            "path": "requests.granted.total",
            "original": 0,
            "value": 3,
            "reason": "总计 misprinted",
            "by": "张三",
            "date": "2022-03-01",
        },
        {
            "path": "proactive.procurement.amount",
            "original": 0,
            "value": 12.5,
            "reason": "amount in 万元",
            "by": "李四",
            "date": "2022-03-02",
        },
        {
            "path": "appeals.review.upheld",
            "original": 0,
            "value": 1,
            "reason": "one review upheld",
            "by": "张三",
            "date": "2022-03-01",
        },
        {
            "path": "published",
            "original": "2021-01-08",
            "value": "2021-01-09",
            "reason": "落款 date misread",
            "by": "张三",
            "date": "2022-03-01",
        },
        {
            "path": "title",
            "original": "伊家乡 2020 年政府信息公开工作年度报告",
            "value": "伊家乡2020年政府信息公开工作年度报告",
            "reason": "spaces in the title",
            "by": "张三",
            "date": "2022-03-01",
        },
    ]


def test_corrections_are_applied_before_the_checks(tmp_path):
    corpus = check_corpus_records(load_corpus(make_reports(tmp_path, GOOD)), None)
    findings = corpus.records[0].checks
    # granted.total = 3 no longer matches the columns (all 0): the identity check sees the corrected value
    assert any(f.where and f.where.startswith("requests.granted") for f in findings), findings


def test_no_sidecar_no_corrections_key(tmp_path):
    record = load_corpus(make_reports(tmp_path, None)).records[0].to_dict()
    assert "corrections" not in record
    assert record == parse_file(SAMPLE, RELATIVE).to_dict()


def test_yaml_extension_and_agency_year_change_the_id(tmp_path):
    reports = make_reports(tmp_path, None)
    (reports / (RELATIVE + ".corrections.yaml")).write_text(
        "- {path: year, value: 2019, reason: title misprint, by: 王五, date: 2022-01-01}\n"
        "- {path: agency.name, value: 伊家乡政府, reason: short name, by: 王五, date: 2022-01-01}\n"
        "- {path: period.end, value: '2019-12-31', reason: period, by: 王五, date: 2022-01-01}\n",
        "utf-8",
    )
    record = load_corpus(reports).records[0].to_dict()
    assert record["year"] == 2019 and record["agency"]["name"] == "伊家乡政府"
    assert record["id"].endswith("/2019") and record["period"]["end"] == "2019-12-31"


BAD = [
    (
        "- {path: requests.granted.everything, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "不认识的列“everything”",
    ),
    (
        "- {path: requests.granted.total, value: 1, reason: r, by: b, date: 2022-01-01}\n"
        "- {path: requests.other_misc.total, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        2,
        "没有“other_misc”行",
    ),
    (
        "- {path: requests.granted.total, value: '3', reason: r, by: b, date: 2022-01-01}\n",
        1,
        "requests.granted.total 应为非负整数或 null，实为 '3'",
    ),
    (
        "- {path: requests.granted.total, value: -1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为非负整数或 null，实为 -1",
    ),
    (
        "- {path: requests.granted.total, value: 1.5, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为非负整数",
    ),
    (
        "- {path: proactive.procurement.amount, value: many, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为金额（数字）",
    ),
    (
        "- {path: proactive.rules.issued, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "没有“issued”项",
    ),
    (
        "- {path: appeals.appeal.total, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "没有“appeal”行",
    ),
    (
        "- {path: published, value: 2021年13月8日, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为日期（YYYY-MM-DD）",
    ),
    (
        "- {path: published, value: '2021-02-30', reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为日期（YYYY-MM-DD）",
    ),
    (
        "- {path: agency.region, value: x, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "不认识的位置",
    ),
    ("- {path: checks, value: 1, reason: r, by: b, date: 2022-01-01}\n", 1, "不认识的位置"),
    ("- {path: year, value: 20, reason: r, by: b, date: 2022-01-01}\n", 1, "应为年份"),
    ("- {path: title, value: 1, reason: r, by: b, date: 2022-01-01}\n", 1, "应为非空文字"),
    ("- {path: title, value: null, reason: r, by: b, date: 2022-01-01}\n", 1, "应为非空文字"),
    (
        "- {path: agency.name, value: null, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "应为非空文字",
    ),
    ("- {path: year, value: null, reason: r, by: b, date: 2022-01-01}\n", 1, "应为年份"),
    ("- {path: title, value: x, by: b, date: 2022-01-01}\n", 1, "缺少 reason"),
    (
        "- {path: title, value: x, reason: r, by: b, date: 2022-01-01, note: n}\n",
        1,
        "有未知的项 note",
    ),
    ("- {path: title, value: x, reason: r, by: b, date: soon}\n", 1, "“date”应为日期"),
    ("- just a string\n", 1, "应为由 path、value、reason、by、date 五项组成的条目"),
]


@pytest.mark.parametrize(("text", "entry", "expected"), BAD)
def test_an_invalid_entry_is_skipped_and_listed_the_report_published(
    tmp_path, text, entry, expected
):
    parsed = parse_file(SAMPLE, RELATIVE).to_dict()
    corpus = load_corpus(make_reports(tmp_path, text))
    assert corpus.failures == () and len(corpus.records) == 1
    record = corpus.records[0].to_dict()
    [rejected] = record["corrections_rejected"]
    assert rejected["sidecar"] == SIDECAR and rejected["entry"] == entry
    assert expected in rejected["problem"], rejected["problem"]
    applied = record.get("corrections", [])
    assert len(applied) == entry - 1  # the valid entries before it are applied
    if not applied:
        assert record["requests"] == parsed["requests"] and record["title"] == parsed["title"]
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("path: title\n", "应为由 path、value、reason、by、date 五项组成的条目的列表"),
        ("- [unclosed\n", "不是有效的 YAML（第 2 行有语法错误）"),
    ],
)
def test_malformed_sidecar_publishes_the_report_uncorrected_with_a_note(tmp_path, text, expected):
    corpus = load_corpus(make_reports(tmp_path, text))
    assert corpus.failures == ()
    record = corpus.records[0].to_dict()
    assert "corrections" not in record
    [rejected] = record["corrections_rejected"]
    assert rejected["sidecar"] == SIDECAR and rejected["entry"] is None
    assert expected in rejected["problem"], rejected["problem"]


def test_a_chinese_date_is_read_as_a_date(tmp_path):
    text = "- {path: published, value: 2021年1月9日, reason: r, by: b, date: 2022年3月1日}\n"
    record = load_corpus(make_reports(tmp_path, text)).records[0].to_dict()
    assert "corrections_rejected" not in record
    assert record["published"] == "2021-01-09"
    assert record["corrections"][0]["date"] == "2022-03-01"


def test_empty_sidecar_changes_nothing(tmp_path):
    record = load_corpus(make_reports(tmp_path, "")).records[0].to_dict()
    assert "corrections" not in record and "corrections_rejected" not in record


def test_one_bad_entry_is_skipped_the_others_applied():
    record = parse_file(SAMPLE, RELATIVE)
    entries = [
        {
            "path": "requests.granted.total",
            "value": 3,
            "reason": "r",
            "by": "b",
            "date": "2022-01-01",
        },
        {
            "path": "requests.granted.total",
            "value": "x",
            "reason": "r",
            "by": "b",
            "date": "2022-01-01",
        },
    ]
    corrected = apply_corrections(record, entries, "side.yml").to_dict()
    assert corrected["requests"]["granted"][6] == 3
    assert [c["value"] for c in corrected["corrections"]] == [3]
    assert corrected["corrections_rejected"] == [
        {
            "sidecar": "side.yml",
            "entry": 2,
            "path": "requests.granted.total",
            "problem": "requests.granted.total 应为非负整数或 null，实为 'x'",
        }
    ]
    published = record.to_dict()  # the record itself is unchanged
    assert published["requests"]["granted"][6] == 0 and "corrections" not in published


def test_repeated_path_keeps_the_parsed_original(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(
        "- {path: requests.granted.total, value: 3, reason: r, by: b, date: 2022-01-01}\n"
        "- {path: requests.granted.total, value: 4, reason: r2, by: b, date: 2022-01-02}\n",
        "utf-8",
    )
    record = apply_corrections(parse_file(SAMPLE, RELATIVE), load_sidecar(path), "s.yml").to_dict()
    assert record["requests"]["granted"][6] == 4
    assert [c["original"] for c in record["corrections"]] == [0, 0]


def test_corrections_survive_a_second_build_with_cache(tmp_path, monkeypatch):
    import generator.parse

    reports = make_reports(tmp_path, GOOD)
    cache = tmp_path / "cache"
    first = load_corpus(reports, cache_dir=cache)
    calls = []
    real = generator.parse.parse_document
    monkeypatch.setattr(generator.parse, "parse_document", lambda *a: calls.append(a) or real(*a))
    second = load_corpus(reports, cache_dir=cache)
    assert calls == []  # from the cache
    assert second.records == first.records
    assert second.records[0].corrections[0].value == 3
    # editing the sidecar takes effect without a re-parse
    (reports / SIDECAR).write_text(GOOD.replace("value: 3", "value: 7"), "utf-8")
    third = load_corpus(reports, cache_dir=cache)
    assert calls == []
    assert third.records[0].to_dict()["requests"]["granted"][6] == 7
    assert third.records[0].corrections[0].original == 0


def test_cli_parse_applies_corrections(tmp_path, capsys):
    import json

    from generator.cli import main

    reports = make_reports(tmp_path, GOOD)
    assert main(["parse", str(reports / RELATIVE)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["requests"]["granted"][6] == 3 and len(record["corrections"]) == 5
    (reports / SIDECAR).write_text(BAD[0][0], "utf-8")
    assert main(["parse", str(reports / RELATIVE)]) == 0
    record = json.loads(capsys.readouterr().out)
    [rejected] = record["corrections_rejected"]
    assert rejected["sidecar"] == str(reports / SIDECAR) and rejected["entry"] == 1


def test_a_sidecar_without_its_report_is_listed_not_ignored(tmp_path):
    reports = make_reports(tmp_path, None)
    (reports / "改名前-2021年报.txt.corrections.yml").write_text(
        "- {path: requests.granted.total, value: 1, reason: x, by: y, date: 2022-01-01}\n", "utf-8"
    )
    corpus = load_corpus(reports)
    assert [f.file for f in corpus.failures] == ["改名前-2021年报.txt.corrections.yml"]
    failure = corpus.failures[0]
    assert failure.format == "corrections" and failure.kind == "unreadable"
    assert "改名前-2021年报.txt 不存在" in failure.reason
    assert "请把更正文件与报告一起改名，或删除它" in failure.reason
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)


def test_a_cell_or_date_can_be_corrected_to_null(tmp_path):
    """A blank cell the parser read a number into: the correction makes it null (not 0),
    keeps the parsed value as original, and the checks treat it as not assessable."""
    before = load_corpus(make_reports(tmp_path / "a", None)).records[0].to_dict()
    assert before["requests"]["granted"][-1] is not None and before["published"] is not None
    reports = make_reports(
        tmp_path / "b",
        (
            "- {path: requests.granted.total, value: null, reason: blank in the PDF, by: 张三, date: 2022-03-01}\n"
            "- {path: published, value: ~, reason: no date printed, by: 张三, date: 2022-03-01}\n"
        ),
    )
    corpus = load_corpus(reports)
    record = corpus.records[0].to_dict()
    assert record["requests"]["granted"][-1] is None and record["published"] is None
    assert [(c["path"], c["original"], c["value"]) for c in record["corrections"]] == [
        ("requests.granted.total", before["requests"]["granted"][-1], None),
        ("published", before["published"], None),
    ]
    findings = {f.rule: f for f in check_corpus_records(corpus, None).records[0].checks}
    assert findings["T3-02"].status == "not-assessable"  # the sum is not computed with a 0
    assert findings["T3-05"].status == "fail" and findings["T3-05"].where == "requests.granted"
