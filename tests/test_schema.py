"""Every sample record is valid against the published JSON Schema, and the schema rejects
records that break the contract (so the test can fail)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, parse_file

from generator.record import record_from_yaml, record_to_yaml, validate_record

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records():
    return [parse_file(p, p.relative_to(ROOT / "reports").as_posix()) for p in SAMPLES]


def test_every_sample_is_a_record_with_its_own_id(records):
    assert len({r.key for r in records}) == len(SAMPLES) == len(records)


def test_samples_are_schema_valid(records):
    for record in records:
        assert validate_record(record) == [], record.source.file


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda r: r["requests"]["received"].pop(), "requests.received"),
        (lambda r: r["requests"]["received"].__setitem__(0, "5"), "requests.received.0"),
        (lambda r: r.__setitem__("edition", "2020"), "edition"),
        (lambda r: r.__setitem__("id", "../../etc/2021"), "id"),
        (lambda r: r["appeals"]["review"].pop("total"), "appeals"),
        (lambda r: r.pop("checks"), "(record)"),
        (lambda r: r.__setitem__("published", "2021/01/08"), "published"),
    ],
)
def test_schema_rejects_broken_records(records, mutate, where):
    record = records[0].to_dict()
    mutate(record)
    problems = validate_record(record)
    assert problems and any(p.startswith(where) for p in problems), problems


def test_yaml_round_trip_is_exact(records):
    for record in records:
        text = record_to_yaml(record)
        assert record_from_yaml(text) == record
        assert record_to_yaml(record_from_yaml(text)) == text


def test_records_are_deterministic():
    first = [record_to_yaml(parse_file(p, p.name)) for p in SAMPLES]
    second = [record_to_yaml(parse_file(p, p.name)) for p in SAMPLES]
    assert first == second


def test_region_from_folders(records):
    by_name = {r.agency.name: r.to_dict() for r in records}
    assert by_name["伊家乡人民政府"]["agency"]["region"] == {
        "province": "福建省",
        "city": "三明市",
        "county": "建宁县",
        "township": "伊家乡",
    }
    assert by_name["伊家乡人民政府"]["agency"]["region_source"] == "folders"


def test_the_schema_id_pattern_is_the_model_constant():
    from generator.model import RECORD_ID_PATTERN
    from generator.record import json_schema

    assert json_schema()["properties"]["id"]["pattern"] == RECORD_ID_PATTERN


def test_a_record_without_a_year_has_no_id():
    from generator.model.identity import record_id

    assert record_id("伊家乡人民政府", None, "a.txt") is None
    assert (
        record_id(None, 2021, "河南省/新华区/2021年报.txt")
        == "henansheng-xinhuaqu-2021-nianbao/2021"
    )
