"""The rule catalogue: ids match format-and-rules.md §5, levels.yml matches the defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.check import LEVELS_FILE, RULES, RULES_BY_ID, load_levels

SPEC = Path("/work/shared/spec/format-and-rules.md")
SEVERITY = {"E": "error", "W": "warning", "I": "info"}


def spec_rows() -> list[tuple[str, str]]:
    """(id, severity cell) of the §5 rule table."""
    if not SPEC.exists():
        pytest.skip(f"{SPEC} not present: cannot compare the catalogue with the spec")
    text = SPEC.read_text("utf-8")
    section = text.split("## 5.", 1)[1].split("\n## 6.", 1)[0]
    return [
        (m.group(1), m.group(2).strip())
        for m in re.finditer(r"^\|\s*([A-Z]+\d?-\d{2})\s*\|[^|]*\|([^|]*)\|", section, re.M)
    ]


def test_ids_match_the_spec_in_order() -> None:
    assert [rule_id for rule_id, _ in spec_rows()] == [rule.id for rule in RULES]


def test_default_levels_follow_the_spec_severity() -> None:
    for rule_id, severity in spec_rows():
        assert RULES_BY_ID[rule_id].level == SEVERITY[severity.strip("*")[0]], rule_id


def test_ids_unique_and_fields_filled() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.family == rule.id.split("-")[0]
        assert rule.scope in ("report", "corpus")
        assert rule.level in ("error", "warning", "info")
        assert rule.certainty in ("V", "D", "U", "S")
        assert f"[{rule.certainty}]" in rule.basis, rule.id
        assert rule.title and rule.what and callable(rule.check)


def test_packaged_levels_file_lists_every_rule_at_its_default() -> None:
    assert load_levels() == {rule.id: rule.level for rule in RULES}
    ids = re.findall(r"^([A-Z]+\d?-\d{2}):", LEVELS_FILE.read_text("utf-8"), re.M)
    assert ids == [rule.id for rule in RULES]
