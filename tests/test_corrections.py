"""Corrections sidecars: applied after parsing with the parsed value kept as `original`; an
invalid sidecar makes its report a failure that names the sidecar and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.corrections import CorrectionError, apply_corrections, load_sidecar
from generator.parse import parse_file
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
    assert corpus.failures == [] and len(corpus.records) == 1
    record = corpus.records[0]
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
    corpus = load_corpus(make_reports(tmp_path, GOOD))
    findings = check_corpus_records(corpus, None)
    record = corpus.records[0]
    # granted.total = 3 no longer matches the columns (all 0): the identity check sees the corrected value
    assert any(
        f["where"] and f["where"].startswith("requests.granted") for f in findings[record["id"]]
    ), findings


def test_no_sidecar_no_corrections_key(tmp_path):
    record = load_corpus(make_reports(tmp_path, None)).records[0]
    assert "corrections" not in record
    assert record == parse_file(SAMPLE, RELATIVE)


def test_yaml_extension_and_agency_year_change_the_id(tmp_path):
    reports = make_reports(tmp_path, None)
    (reports / (RELATIVE + ".corrections.yaml")).write_text(
        "- {path: year, value: 2019, reason: title misprint, by: 王五, date: 2022-01-01}\n"
        "- {path: agency.name, value: 伊家乡政府, reason: short name, by: 王五, date: 2022-01-01}\n"
        "- {path: period.end, value: '2019-12-31', reason: period, by: 王五, date: 2022-01-01}\n",
        "utf-8",
    )
    record = load_corpus(reports).records[0]
    assert record["year"] == 2019 and record["agency"]["name"] == "伊家乡政府"
    assert record["id"].endswith("/2019") and record["period"]["end"] == "2019-12-31"


BAD = [
    (
        "- {path: requests.granted.everything, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "unknown column 'everything'",
    ),
    (
        "- {path: requests.granted.total, value: 1, reason: r, by: b, date: 2022-01-01}\n"
        "- {path: requests.other_misc.total, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        2,
        "no requests row 'other_misc'",
    ),
    (
        "- {path: requests.granted.total, value: '3', reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a count (integer >= 0) or null, found '3'",
    ),
    (
        "- {path: requests.granted.total, value: -1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a count (integer >= 0) or null, found -1",
    ),
    (
        "- {path: requests.granted.total, value: 1.5, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a count",
    ),
    (
        "- {path: proactive.procurement.amount, value: many, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected an amount (a number)",
    ),
    (
        "- {path: proactive.rules.issued, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "has no field 'issued'",
    ),
    (
        "- {path: appeals.appeal.total, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "no appeals row 'appeal'",
    ),
    (
        "- {path: published, value: 2021年1月8日, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected an ISO date (YYYY-MM-DD)",
    ),
    (
        "- {path: published, value: '2021-02-30', reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected an ISO date (YYYY-MM-DD)",
    ),
    (
        "- {path: agency.region, value: x, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "unknown key path",
    ),
    ("- {path: checks, value: 1, reason: r, by: b, date: 2022-01-01}\n", 1, "unknown key path"),
    ("- {path: year, value: 20, reason: r, by: b, date: 2022-01-01}\n", 1, "expected a year"),
    (
        "- {path: title, value: 1, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a non-empty text",
    ),
    (
        "- {path: title, value: null, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a non-empty text",
    ),
    (
        "- {path: agency.name, value: null, reason: r, by: b, date: 2022-01-01}\n",
        1,
        "expected a non-empty text",
    ),
    ("- {path: year, value: null, reason: r, by: b, date: 2022-01-01}\n", 1, "expected a year"),
    ("- {path: title, value: x, by: b, date: 2022-01-01}\n", 1, "missing key(s) reason"),
    (
        "- {path: title, value: x, reason: r, by: b, date: 2022-01-01, note: n}\n",
        1,
        "unknown key(s) note",
    ),
    ("- {path: title, value: x, reason: r, by: b, date: soon}\n", 1, "'date' must be an ISO date"),
    ("- just a string\n", 1, "expected a mapping"),
]


@pytest.mark.parametrize(("text", "entry", "expected"), BAD)
def test_invalid_sidecar_makes_the_report_a_failure(tmp_path, text, entry, expected):
    corpus = load_corpus(make_reports(tmp_path, text))
    assert corpus.records == []
    assert len(corpus.failures) == 1
    failure = corpus.failures[0]
    assert failure["file"] == RELATIVE and failure["format"] == "txt"
    assert failure["reason"].startswith(f"corrections not applied: {SIDECAR}: entry {entry}: "), (
        failure["reason"]
    )
    assert expected in failure["reason"], failure["reason"]
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("path: title\n", "expected a list"),
        ("- [unclosed\n", "not valid YAML at line"),
    ],
)
def test_malformed_sidecar_names_the_file(tmp_path, text, expected):
    corpus = load_corpus(make_reports(tmp_path, text))
    reason = corpus.failures[0]["reason"]
    assert reason.startswith(f"corrections not applied: {SIDECAR}: ") and expected in reason


def test_empty_sidecar_changes_nothing(tmp_path):
    record = load_corpus(make_reports(tmp_path, "")).records[0]
    assert "corrections" not in record


def test_one_bad_entry_rejects_the_whole_sidecar_and_leaves_the_record_alone():
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
    with pytest.raises(
        CorrectionError, match=r"^side\.yml: entry 2: requests\.granted\.total: expected a count"
    ):
        apply_corrections(record, entries, "side.yml")
    assert record["requests"]["granted"][6] == 0 and "corrections" not in record


def test_repeated_path_keeps_the_parsed_original(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(
        "- {path: requests.granted.total, value: 3, reason: r, by: b, date: 2022-01-01}\n"
        "- {path: requests.granted.total, value: 4, reason: r2, by: b, date: 2022-01-02}\n",
        "utf-8",
    )
    record = apply_corrections(parse_file(SAMPLE, RELATIVE), load_sidecar(path), "s.yml")
    assert record["requests"]["granted"][6] == 4
    assert [c["original"] for c in record["corrections"]] == [0, 0]


def test_corrections_survive_a_second_build_with_cache(tmp_path, monkeypatch):
    import generator.parse

    reports = make_reports(tmp_path, GOOD)
    cache = tmp_path / "cache"
    first = load_corpus(reports, cache_dir=cache)
    calls = []
    real = generator.parse.parse_file
    monkeypatch.setattr(generator.parse, "parse_file", lambda *a: calls.append(a) or real(*a))
    second = load_corpus(reports, cache_dir=cache)
    assert calls == []  # from the cache
    assert second.records == first.records
    assert second.records[0]["corrections"][0]["value"] == 3
    # editing the sidecar takes effect without a re-parse
    (reports / SIDECAR).write_text(GOOD.replace("value: 3", "value: 7"), "utf-8")
    third = load_corpus(reports, cache_dir=cache)
    assert calls == []
    assert third.records[0]["requests"]["granted"][6] == 7
    assert third.records[0]["corrections"][0]["original"] == 0


def test_cli_parse_applies_corrections(tmp_path, capsys):
    import json

    from generator.cli import main

    reports = make_reports(tmp_path, GOOD)
    assert main(["parse", str(reports / RELATIVE)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["requests"]["granted"][6] == 3 and len(record["corrections"]) == 5
    (reports / SIDECAR).write_text(BAD[0][0], "utf-8")
    assert main(["parse", str(reports / RELATIVE)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"nianbao: error: {reports / SIDECAR}: entry 1: ")


def test_a_sidecar_without_its_report_is_listed_not_ignored(tmp_path):
    reports = make_reports(tmp_path, None)
    (reports / "改名前-2021年报.txt.corrections.yml").write_text(
        "- {path: requests.granted.total, value: 1, reason: x, by: y, date: 2022-01-01}\n", "utf-8"
    )
    corpus = load_corpus(reports)
    assert [f["file"] for f in corpus.failures] == ["改名前-2021年报.txt.corrections.yml"]
    failure = corpus.failures[0]
    assert failure["format"] == "corrections"
    assert "改名前-2021年报.txt does not exist" in failure["reason"]
    assert "rename the corrections file with its report" in failure["reason"]
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)


def test_a_cell_or_date_can_be_corrected_to_null(tmp_path):
    """A blank cell the parser read a number into: the correction makes it null (not 0),
    keeps the parsed value as original, and the checks treat it as not assessable."""
    before = load_corpus(make_reports(tmp_path / "a", None)).records[0]
    assert before["requests"]["granted"][-1] is not None and before["published"] is not None
    reports = make_reports(
        tmp_path / "b",
        (
            "- {path: requests.granted.total, value: null, reason: blank in the PDF, by: 张三, date: 2022-03-01}\n"
            "- {path: published, value: ~, reason: no date printed, by: 张三, date: 2022-03-01}\n"
        ),
    )
    corpus = load_corpus(reports)
    record = corpus.records[0]
    assert record["requests"]["granted"][-1] is None and record["published"] is None
    assert [(c["path"], c["original"], c["value"]) for c in record["corrections"]] == [
        ("requests.granted.total", before["requests"]["granted"][-1], None),
        ("published", before["published"], None),
    ]
    findings = {f["rule"]: f for f in check_corpus_records(corpus, None)[record["id"]]}
    assert findings["T3-02"]["status"] == "not-assessable"  # the sum is not computed with a 0
    assert (
        findings["T3-05"]["status"] == "fail" and findings["T3-05"]["where"] == "requests.granted"
    )
