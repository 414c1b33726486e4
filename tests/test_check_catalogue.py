"""The rule catalogue: ids and default levels match format-and-rules.md §5 (vendored in
docs/rules-spec.md), every entry is filled, and levels.yml only overrides."""

from __future__ import annotations

import re
from pathlib import Path

from generator.check import (
    LEVELS_FILE,
    RULES,
    RULES_BY_ID,
    CorpusRule,
    RegionRule,
    ReportRule,
    load_levels,
)
from generator.check.rule import FAMILIES
from generator.model import Level

SPEC = Path(__file__).resolve().parent.parent / "docs" / "rules-spec.md"
SEVERITY = {"E": Level.ERROR, "W": Level.WARNING, "I": Level.INFO}


def spec_rows() -> list[tuple[str, str]]:
    """(id, severity cell) of the §5 rule table."""
    section = SPEC.read_text("utf-8").split("## 5.", 1)[1]
    return [
        (m.group(1), m.group(2).strip())
        for m in re.finditer(r"^\|\s*([A-Z]+\d?-\d{2})\s*\|[^|]*\|([^|]*)\|", section, re.M)
    ]


def test_the_vendored_table_has_every_rule() -> None:
    assert len(spec_rows()) == 36


def test_every_rule_of_the_spec_is_implemented_in_its_order() -> None:
    """A rule the spec does not list yet may be added (docs/contract.md, "Adding a rule"); it
    is checked against the spec once the table here is copied again."""
    spec = [rule_id for rule_id, _ in spec_rows()]
    assert [rule.id for rule in RULES if rule.id in spec] == spec


def test_default_levels_follow_the_spec_severity() -> None:
    for rule_id, severity in spec_rows():
        assert RULES_BY_ID[rule_id].level == SEVERITY[severity.strip("*")[0]], rule_id


def test_ids_unique_and_fields_filled() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.family in FAMILIES
        assert isinstance(rule, ReportRule | CorpusRule | RegionRule)
        assert isinstance(rule.level, Level)
        assert rule.certainty in ("V", "D", "U", "S")
        assert f"[{rule.certainty}]" in rule.basis, rule.id
        assert rule.title and rule.what and callable(rule.check)


def test_packaged_levels_file_only_overrides() -> None:
    """Defaults live with the rules; the packaged file changes none of them."""
    assert load_levels() == {rule.id: rule.level for rule in RULES}
    assert not re.findall(r"^([A-Z]+\d?-\d{2}):", LEVELS_FILE.read_text("utf-8"), re.M)


def test_the_portals_own_analyses_say_so() -> None:
    """The HI rules (issue 17) are not a legal requirement: tagged, certainty D, and their
    basis says so; every other rule is a requirement or a table instruction."""
    own = [rule for rule in RULES if rule.own_analysis]
    assert [rule.id for rule in own] == ["HI-01", "HI-02"]
    for rule in own:
        assert rule.certainty == "D" and rule.scope == "region"
        assert rule.basis.startswith("本门户的分析，不是法定要求")
    assert all(not rule.own_analysis for rule in RULES if rule.family != "HI")
