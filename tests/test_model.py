"""The shared model: records read from and written to the published format are the same bytes,
levels order and name themselves, and a warning code must be a documented one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import parse_file

from generator.model import (
    LEVELS,
    Finding,
    Level,
    ParseWarning,
    Record,
    count_levels,
)
from generator.record import record_from_yaml, record_to_json, record_to_yaml

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "reports").rglob("*.txt")) + sorted(
    (ROOT / "tests" / "golden").glob("*/input.txt")
)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_published_form_round_trips_byte_for_byte(path: Path) -> None:
    record = parse_file(path, path.relative_to(ROOT).as_posix())
    data = record.to_dict()
    again = Record.from_dict(data)
    assert again == record
    assert list(again.to_dict()) == list(data)
    assert record_to_yaml(again) == record_to_yaml(record)
    assert record_to_json(again) == record_to_json(record)
    assert record_from_yaml(record_to_yaml(record)) == record
    assert Record.from_dict(json.loads(record_to_json(record))) == record  # the parse cache


def test_levels_are_ordered_and_named() -> None:
    assert LEVELS == (Level.ERROR, Level.WARNING, Level.INFO)
    assert [level.label for level in LEVELS] == ["错误", "警告", "提示"]
    assert Level.ERROR.at_least(Level.WARNING) and not Level.INFO.at_least(Level.WARNING)
    assert Level("warning") == "warning"  # templates and the published form compare strings


def test_count_levels_counts_failed_findings_only() -> None:
    findings = [
        Finding("T3-01", Level.ERROR, "m"),
        Finding("T3-01", Level.INFO, "m", status="not-assessable"),
        Finding("TX-02", Level.WARNING, "m"),
    ]
    assert count_levels(findings) == {Level.ERROR: 1, Level.WARNING: 1, Level.INFO: 0}


def test_an_undocumented_warning_code_is_refused() -> None:
    with pytest.raises(ValueError, match="WARNING_CODES"):
        ParseWarning("no-such-code", "message")


def test_a_reader_warning_keeps_its_published_key_order() -> None:
    reader = ParseWarning("debris-removed", "removed '1'", 3, text="1")
    parser = ParseWarning("extra-row", "row 'x'", 3, "requests", "x")
    assert list(reader.to_dict()) == ["code", "message", "line", "text", "where"]
    assert list(parser.to_dict()) == ["code", "message", "line", "where", "text"]
    assert "text" not in ParseWarning("no-edition", "none").to_dict()


def test_a_table_cell_that_is_not_a_number_is_refused_at_the_boundary() -> None:
    data = parse_file(INPUTS[0], "x.txt").to_dict()
    data["requests"]["received"][0] = "5"
    with pytest.raises(ValueError, match=r"requests\.received\[0\]"):
        Record.from_dict(data)
