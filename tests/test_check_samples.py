"""Expected findings on the five sample reports (format-and-rules.md §9).

The records are hand transcriptions of the seeds (tests/fixtures/check/seed_*.yaml), so these
tests do not depend on the parser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from generator.check import check_record
from generator.model import Finding
from generator.record import record_from_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "check"

ALLOWED_ERRORS = {
    # §9: seed 000 "STR-03 E: no §二 table, and the §二/§三 headings are missing".
    0: {"STR-03"},
    1: set(),
    2: set(),
    3: set(),
    # §9: seed 004 "T3-01 E in the 自然人, 其他 and 总计 columns".
    4: {"T3-01"},
}


@cache
def _findings(seed: int) -> tuple[Finding, ...]:
    record = record_from_yaml((FIXTURES / f"seed_{seed:03d}.yaml").read_text("utf-8"))
    return tuple(check_record(record))


def findings(seed: int, rule: str | None = None, status: str = "fail") -> list[Finding]:
    return [f for f in _findings(seed) if (rule is None or f.rule == rule) and f.status == status]


@pytest.mark.parametrize("seed", sorted(ALLOWED_ERRORS))
def test_no_error_beyond_section_9(seed: int) -> None:
    errors = {f.rule for f in findings(seed) if f.level == "error"}
    assert errors == ALLOWED_ERRORS[seed]


def test_seed_000() -> None:
    assert [f.where for f in findings(0, "STR-03")] == ["proactive"]
    assert {f.where for f in findings(0, "T3-05")} == {
        "requests.other_unpaid_fee",
        "requests.other_misc",
    }
    assert [f.where for f in findings(0, "T4-02")] == ["appeals.review"]
    assert findings(0, "T3-01") == [] and findings(0, "T4-01") == []
    assert [f.where for f in findings(0, "T4-01", "not-assessable")] == ["appeals"]
    assert len(findings(0, "TX-03")) == 3
    assert len(findings(0, "TX-05")) == 1
    assert len(findings(0, "MD-03")) == 2
    # The §三 heading is missing: located by its table, reported as a warning.
    assert [(f.where, f.level) for f in findings(0, "STR-01")] == [("sections.requests", "warning")]


def test_seed_001() -> None:
    (tx01,) = findings(1, "TX-01")
    assert "2个行政规范性文件废止和失效" in tx01.message and "10" in tx01.message
    assert findings(1, "TX-05") == []
    for rule in ("T3-01", "T3-02", "T3-03", "TX-03"):
        assert findings(1, rule) == [] and findings(1, rule, "not-assessable") == []
    assert len(findings(1, "MD-03")) == 2


def test_seed_002() -> None:
    (t204,) = findings(2, "T2-04")
    assert t204.level == "info" and "行政规范性文件" in t204.message
    assert findings(2, "TX-01") == []  # 受理…申请11件 agrees with 11
    assert len(findings(2, "TX-05")) == 1
    for rule in ("T3-01", "T3-02", "T3-03"):
        assert findings(2, rule) == []


def test_seed_003() -> None:
    assert findings(3, "ED-01") == [] and findings(3, "ED-01", "not-assessable") == []
    for rule in ("T2-05", "MD-03", "TX-05", "TX-06", "T3-01", "T3-06", "TX-01", "MD-02"):
        assert findings(3, rule) == []
    (md01,) = findings(3, "MD-01", "not-assessable")
    assert "2021-01-08" in md01.message


def test_seed_004() -> None:
    columns = {f.where.rsplit(".", 1)[1] for f in findings(4, "T3-01")}
    assert columns == {"natural_person", "other_org", "total"}
    (tx01,) = findings(4, "TX-01")
    assert "办理依申请公开1件" in tx01.message and "75" in tx01.message
    assert len(findings(4, "TX-05")) == 1
    assert len(findings(4, "PR-01")) == 1
    (tx03,) = findings(4, "TX-03")
    assert "社会评议" in tx03.message
    assert findings(4, "MD-03") == []
    for rule in ("T3-02", "T3-03", "T4-01"):
        assert findings(4, rule) == []
