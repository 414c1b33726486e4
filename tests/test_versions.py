"""Two reports for the same agency and year: the newer is the record, the older is attached as
a previous version with every changed cell and a diff of the texts; all inputs accounted for."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import yaml
from conftest import examples, parse_file
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Record
from generator.pipeline import load_corpus
from generator.record import SECTION_KEYS, record_from_yaml, record_to_yaml, yaml_text
from generator.versions import MAX_DIFF_LINES, text_diff

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (
    ROOT / "reports" / "福建省" / "三明市" / "建宁县" / "伊家乡" / "伊家乡人民政府-2020年报.txt"
)
FOLDER = "福建省/三明市/建宁县/伊家乡"


def newer_text() -> str:
    text = SAMPLE.read_text("utf-8")
    for old, new in (
        ("2021年1月8日", "2021年2月1日"),  # later 落款 date
        ("规范性文件\t2\t2\t4", "规范性文件\t2\t2\t5"),  # one cell edited
        ("主动公开信息数19条", "主动公开信息数20条"),
    ):  # one sentence edited
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def make_reports(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    (reports / FOLDER).mkdir(parents=True)
    # the newer one sorts first by name: the date must decide
    (reports / FOLDER / "a 更正版.txt").write_text(newer_text(), "utf-8")
    shutil.copy(SAMPLE, reports / FOLDER / "b 原版.txt")
    return reports


def test_newer_is_the_record_and_older_a_previous_version(tmp_path):
    corpus = load_corpus(make_reports(tmp_path))
    assert corpus.inputs == 2 and corpus.failures == ()
    assert len(corpus.records) == 1
    record = corpus.records[0].to_dict()
    assert record["source"]["file"] == f"{FOLDER}/a 更正版.txt"
    assert record["published"] == "2021-02-01"
    assert corpus.sources[record["id"]] == tmp_path / "reports" / FOLDER / "a 更正版.txt"
    assert [dataclasses.asdict(s) for s in corpus.superseded] == [
        {
            "file": f"{FOLDER}/b 原版.txt",
            "format": "txt",
            "id": record["id"],
            "superseded_by": f"{FOLDER}/a 更正版.txt",
        }
    ]
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)
    older = parse_file(SAMPLE, f"{FOLDER}/b 原版.txt").to_dict()
    (version,) = record["previous_versions"]
    assert version["file"] == f"{FOLDER}/b 原版.txt"
    assert version["sha256"] == older["source"]["sha256"]
    assert version["published"] == "2021-01-08"
    assert version["table_changes"] == [
        {"where": "proactive.normative_docs.total_published", "old": 4, "new": 5}
    ]
    diff = version["text_diff"].splitlines()
    assert diff[0] == f"--- {FOLDER}/b 原版.txt" and diff[1] == f"+++ {FOLDER}/a 更正版.txt"
    assert [line for line in diff[2:] if line[:1] in "+-"] == [
        "-" + line for line in older["sections"]["overview"].splitlines() if "19条" in line
    ] + ["+" + line for line in record["sections"]["overview"].splitlines() if "20条" in line]


def test_versions_are_deterministic_and_yaml_safe(tmp_path):
    reports = make_reports(tmp_path)
    first, second = load_corpus(reports), load_corpus(reports)
    assert record_to_yaml(first.records[0]) == record_to_yaml(second.records[0])
    assert record_from_yaml(record_to_yaml(first.records[0])) == first.records[0]


def test_three_versions_most_recent_first(tmp_path):
    reports = make_reports(tmp_path)
    oldest = SAMPLE.read_text("utf-8").replace("2021年1月8日", "2021年1月2日")
    (reports / FOLDER / "c 初稿.txt").write_text(oldest, "utf-8")
    corpus = load_corpus(reports)
    (record,) = [r.to_dict() for r in corpus.records]
    assert [v["file"] for v in record["previous_versions"]] == [
        f"{FOLDER}/b 原版.txt",
        f"{FOLDER}/c 初稿.txt",
    ]
    assert [s.file for s in corpus.superseded] == [
        f"{FOLDER}/b 原版.txt",
        f"{FOLDER}/c 初稿.txt",
    ]
    assert (
        record["previous_versions"][1]["table_changes"]
        == record["previous_versions"][0]["table_changes"]
    )


def test_same_date_newer_by_file_name(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE, reports / "1.txt")
    shutil.copy(SAMPLE, reports / "2.txt")
    (record,) = [r.to_dict() for r in load_corpus(reports).records]
    assert record["source"]["file"] == "2.txt"
    (version,) = record["previous_versions"]
    assert version["file"] == "1.txt" and version["table_changes"] == []
    # identical texts: only the file names differ, so the diff is empty
    assert version["text_diff"] == ""


def test_table_changes_whole_table_missing():
    new = parse_file(SAMPLE, "new.txt")
    old = dataclasses.replace(parse_file(SAMPLE, "old.txt"), appeals=None)
    from generator.versions import table_changes

    changes = table_changes(old, new)
    assert len(changes) == 15
    assert changes[0].to_dict() == {"where": "appeals.review.upheld", "old": None, "new": 0}


def test_text_diff_is_capped():
    old = parse_file(SAMPLE, "old.txt")
    new = parse_file(SAMPLE, "new.txt")
    lines = "\n".join(f"line {i}" for i in range(1000))
    old = dataclasses.replace(old, sections=dataclasses.replace(old.sections, other=lines))
    diff = text_diff(old, new).splitlines()
    assert len(diff) == MAX_DIFF_LINES + 1
    assert diff[-1].startswith("… diff truncated: ") and diff[-1].endswith(" more lines not shown")


# ---- YAML round trip with any text -----------------------------------------------------------

BASE = parse_file(SAMPLE, "伊家乡.txt").to_dict()
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=examples(200), deadline=None)
@given(title=TEXT, sections=st.lists(st.one_of(st.none(), TEXT), min_size=6, max_size=6), name=TEXT)
def test_yaml_round_trip_any_unicode(title, sections, name):
    record = dict(
        BASE,
        title=title,
        sections=dict(zip(SECTION_KEYS, sections, strict=True)),
        agency=dict(BASE["agency"], name=name),
    )
    assert yaml.safe_load(yaml_text(record)) == record
    assert record_from_yaml(yaml_text(record)) == Record.from_dict(record)
