"""Cross-report rules (T3-07, TX-07, MD-05), check_corpus, and levels.yml overrides."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from conftest import both, check_record, make_record, setp, warn

from generator import check
from generator.check import load_levels
from generator.errors import ConfigError
from generator.model import Finding, Record


def check_corpus(
    records: list[dict], levels: dict[str, str] | None = None
) -> dict[str, list[Finding]]:
    return check.check_corpus([Record.from_dict(r) for r in records], levels)


def group_by_agency(records: list[dict]) -> list[list[Record]]:
    return check.group_by_agency([Record.from_dict(r) for r in records])


SEED_004 = Path(__file__).parent / "fixtures" / "check" / "seed_004.yaml"


def rule_findings(result: dict, record_id: str, rule: str) -> list[tuple[str, str]]:
    return sorted((f.status, f.level) for f in result[record_id] if f.rule == rule)


def two_years(carried_forward_2020: int, carried_over_2021: int) -> list[dict]:
    old, new = make_record("2019", 2020), make_record("2021", 2021)
    both(
        setp("requests.received.0", carried_forward_2020),
        setp("requests.received.6", carried_forward_2020),
        setp("requests.carried_forward.0", carried_forward_2020),
        setp("requests.carried_forward.6", carried_forward_2020),
    )(old)
    both(
        setp("requests.carried_over.0", carried_over_2021),
        setp("requests.carried_over.6", carried_over_2021),
        setp("requests.carried_forward.0", carried_over_2021),
        setp("requests.carried_forward.6", carried_over_2021),
    )(new)
    new["sections"]["overview"] += "另外开展了全新的专项工作，并对网站栏目做了全面改版。" * 3
    return [old, new]


def test_t3_07_carry_over_continues_across_editions() -> None:
    result = check_corpus(two_years(2, 2))
    assert rule_findings(result, "mou-xian/2021", "T3-07") == []


def test_t3_07_carry_over_mismatch_per_column() -> None:
    result = check_corpus(two_years(2, 1))
    assert rule_findings(result, "mou-xian/2021", "T3-07") == [("fail", "warning")] * 2
    assert rule_findings(result, "mou-xian/2020", "T3-07") == []


def test_t3_07_needs_the_same_agency() -> None:
    records = two_years(2, 1)
    records[1]["id"] = "other-county/2021"
    records[1]["agency"]["name"] = "另一县人民政府"
    assert rule_findings(check_corpus(records), "other-county/2021", "T3-07") == []


def test_t3_07_null_carry_over_not_assessable() -> None:
    records = two_years(0, 0)
    records[1]["requests"]["carried_over"][3] = None
    assert rule_findings(check_corpus(records), "mou-xian/2021", "T3-07") == [
        ("not-assessable", "info")
    ]


def test_t3_07_in_force_continuity_is_info() -> None:
    old, new = make_record("2021", 2021), make_record("2021", 2022)
    setp("proactive.normative_docs.in_force", 5)(old)
    both(
        setp("proactive.normative_docs.issued", 2),
        setp("proactive.normative_docs.repealed", 1),
        setp("proactive.normative_docs.in_force", 5),
    )(new)
    new["sections"]["overview"] += "另外开展了全新的专项工作，并对网站栏目做了全面改版。" * 3
    assert rule_findings(check_corpus([old, new]), "mou-xian/2022", "T3-07") == [("fail", "info")]
    setp("proactive.normative_docs.in_force", 6)(new)
    assert rule_findings(check_corpus([old, new]), "mou-xian/2022", "T3-07") == []


def test_tx_07_near_copy_and_fresh_text() -> None:
    old, new = make_record("2019", 2020), make_record("2021", 2021)
    long_text = "我单位认真贯彻落实政府信息公开条例，扎实推进主动公开和依申请公开工作，" * 10
    for record in (old, new):
        record["sections"]["problems"] = long_text
    # Only years and numbers differ: still a copy.
    new["sections"]["overview"] = new["sections"]["overview"].replace("120", "135")
    assert rule_findings(check_corpus([old, new]), "mou-xian/2021", "TX-07") == [
        ("fail", "warning")
    ]
    new["sections"]["problems"] = (
        "今年针对去年评估指出的短板，重点整改了栏目设置混乱、解读材料不足等问题。" * 5
    )
    assert rule_findings(check_corpus([old, new]), "mou-xian/2021", "TX-07") == []


def test_md_05_duplicate_ids_flag_both_copies() -> None:
    first, second = make_record("2021"), make_record("2021")
    second["source"] = {"file": "copy.txt", "sha256": "other", "format": "txt", "pages": None}
    result = check_corpus([first, second])
    assert list(result) == ["mou-xian/2021"]
    assert rule_findings(result, "mou-xian/2021", "MD-05") == [("fail", "info")]


def test_grouping_by_name_or_id_prefix() -> None:
    a, b, c = make_record("2021", 2021), make_record("2021", 2022), make_record("2021", 2023)
    b["agency"]["name"] = "某县政府"  # same id prefix as a
    c["id"] = "renamed/2023"  # same name as a
    d = make_record("2021", 2021)
    d["id"], d["agency"]["name"] = "elsewhere/2021", "别处人民政府"
    groups = group_by_agency([a, b, c, d])
    assert sorted(len(g) for g in groups) == [1, 3]


def test_check_corpus_is_deterministic() -> None:
    records = [*two_years(2, 1), make_record("2021", 2022)]
    records[2]["id"], records[2]["agency"]["name"] = "zzz/2022", "另一县人民政府"
    expected = check_corpus(records)
    shuffled = records[:]
    random.Random(4).shuffle(shuffled)
    assert check_corpus(shuffled) == expected
    assert list(expected) == sorted(expected)
    assert expected["zzz/2022"] == check_record(records[2])


# ---- levels ----------------------------------------------------------------------------------


def seed_004() -> dict:
    return yaml.safe_load(SEED_004.read_text("utf-8"))


def test_levels_override_changes_and_ignores(tmp_path: Path) -> None:
    path = tmp_path / "levels.yml"
    path.write_text("T3-01: warning\nTX-01: ignore\n", "utf-8")
    levels = load_levels(path)
    assert levels["T3-01"] == "warning" and levels["STR-01"] == "error"
    findings = check_record(seed_004(), levels)
    assert {f.level for f in findings if f.rule == "T3-01"} == {"warning"}
    assert not [f for f in findings if f.rule == "TX-01"]
    assert [f for f in check_record(seed_004()) if f.rule == "TX-01"]


def test_override_applies_to_secondary_levels() -> None:
    record = make_record("2021")
    warn("extra-row", "proactive", "其他主动公开文件")(record)
    warn("missing-row", "requests.denied_query")(record)
    default = sorted(f.level for f in check_record(record) if f.rule == "ED-03")
    assert default == ["error", "warning"]
    lowered = sorted(f.level for f in check_record(record, {"ED-03": "info"}) if f.rule == "ED-03")
    assert lowered == ["info", "info"]


def test_not_assessable_stays_info_when_level_raised() -> None:
    record = make_record("2021")
    record["requests"]["received"][0] = None
    found = [f for f in check_record(record, {"T3-01": "error"}) if f.rule == "T3-01"]
    assert [(f.status, f.level) for f in found] == [("not-assessable", "info")]


def test_unknown_rule_id_names_it(tmp_path: Path) -> None:
    path = tmp_path / "levels.yml"
    path.write_text("T9-99: error\n", "utf-8")
    with pytest.raises(ConfigError, match=r"rule 'T9-99' is not a rule id \(known: STR-01, "):
        load_levels(path)


def test_bad_level_names_key_and_value(tmp_path: Path) -> None:
    path = tmp_path / "strict.yml"
    path.write_text("T3-01: fatal\n", "utf-8")
    with pytest.raises(ConfigError, match=r"strict\.yml: rule 'T3-01'.*'fatal'"):
        load_levels(path)


@pytest.mark.parametrize("text", ["- T3-01\n", "T3-01: [error\n"])
def test_malformed_levels_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "levels.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"levels\.yml"):
        load_levels(path)


def test_missing_levels_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_levels(tmp_path / "nope.yml")


def test_check_record_rejects_unknown_level_keys() -> None:
    with pytest.raises(ConfigError, match="T9-99"):
        check_record(make_record("2021"), {"T9-99": "error"})
