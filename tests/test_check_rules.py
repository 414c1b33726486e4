"""Rule-by-rule cases on small hand-made records: a clean record, then one mutation per case."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from conftest import (
    PROBLEMS,
    both,
    check_record,
    delete,
    drop_heading,
    make_record,
    setp,
    warn,
)

from generator.record import APPEAL_FIELDS, APPEAL_GROUPS

FAIL_E, FAIL_W, FAIL_I = ("fail", "error"), ("fail", "warning"), ("fail", "info")
NA = ("not-assessable", "info")
NOOP: Callable[[dict], None] = lambda r: None  # noqa: E731

CASES = [
    # id, edition, mutation, rule, expected (status, level) list
    ("STR-01 all present", "2021", NOOP, "STR-01", []),
    (
        "STR-01 section missing",
        "2021",
        both(setp("sections.problems", None), drop_heading("problems")),
        "STR-01",
        [FAIL_E],
    ),
    ("STR-01 heading not recognised", "2021", drop_heading("requests"), "STR-01", [FAIL_W]),
    (
        "STR-01 table section left to STR-03",
        "2021",
        both(drop_heading("proactive"), setp("proactive", None)),
        "STR-01",
        [],
    ),
    ("STR-02 in order", "2021", NOOP, "STR-02", []),
    (
        "STR-02 problems before appeals",
        "2021",
        lambda r: r["parse"]["headings"].insert(3, r["parse"]["headings"].pop(4)),
        "STR-02",
        [FAIL_W],
    ),
    ("STR-03 tables present", "2021", NOOP, "STR-03", []),
    ("STR-03 no table", "2021", setp("proactive", None), "STR-03", [FAIL_E]),
    (
        "STR-03 empty template",
        "2021",
        setp("appeals", {g: dict.fromkeys(APPEAL_FIELDS) for g, _ in APPEAL_GROUPS}),
        "STR-03",
        [FAIL_E],
    ),
    (
        "STR-04 工作报告 variant",
        "2021",
        setp("title", "某县人民政府2021年政府信息公开工作报告"),
        "STR-04",
        [FAIL_W],
    ),
    (
        "STR-04 no agency",
        "2021",
        setp("title", "2021年度政府信息公开工作年度报告"),
        "STR-04",
        [FAIL_W],
    ),
    ("STR-04 no title", "2021", setp("title", None), "STR-04", [FAIL_W]),
    ("ED-01 2019 edition for 2020", "2019", NOOP, "ED-01", []),
    ("ED-01 2021 edition for 2020", "2021", setp("year", 2020), "ED-01", [FAIL_E]),
    ("ED-01 2019 edition for 2021", "2019", setp("year", 2021), "ED-01", [FAIL_E]),
    ("ED-01 edition unknown", "2021", setp("edition", None), "ED-01", [NA]),
    (
        "ED-02 hybrid",
        "2021",
        setp("parse.fingerprint", {"2019": ["政府集中采购"], "2021": ["本年制发件数"]}),
        "ED-02",
        [FAIL_W],
    ),
    ("ED-02 mixed-edition warning", "2021", warn("mixed-edition", "proactive"), "ED-02", [FAIL_W]),
    (
        "ED-03 missing-row warning",
        "2021",
        warn("missing-row", "requests.denied_query"),
        "ED-03",
        [FAIL_E],
    ),
    (
        "ED-03 extra-row warning",
        "2021",
        warn("extra-row", "proactive", "其他主动公开文件"),
        "ED-03",
        [FAIL_W],
    ),
    ("ED-03 row absent", "2021", delete("requests.granted"), "ED-03", [FAIL_E]),
    (
        "ED-03 2019 row in 2021 table",
        "2021",
        setp("proactive.procurement", {"projects": 0, "amount": 0}),
        "ED-03",
        [FAIL_W],
    ),
    (
        "T3-01 balanced",
        "2021",
        both(
            setp("requests.received.0", 2),
            setp("requests.received.6", 2),
            setp("requests.granted.0", 2),
            setp("requests.granted.6", 2),
            setp("requests.handled_total.0", 2),
            setp("requests.handled_total.6", 2),
        ),
        "T3-01",
        [],
    ),
    (
        "T3-01 carried forward balances",
        "2021",
        both(
            setp("requests.received.0", 1),
            setp("requests.received.6", 1),
            setp("requests.carried_forward.0", 1),
            setp("requests.carried_forward.6", 1),
        ),
        "T3-01",
        [],
    ),
    (
        "T3-01 broken in two columns",
        "2021",
        both(setp("requests.received.0", 1), setp("requests.received.6", 1)),
        "T3-01",
        [FAIL_E, FAIL_E],
    ),
    ("T3-01 null operand", "2021", setp("requests.carried_over.3", None), "T3-01", [NA]),
    (
        "T3-02 adds up",
        "2021",
        both(
            setp("requests.other_misc.0", 1),
            setp("requests.other_misc.6", 1),
            setp("requests.handled_total.0", 1),
            setp("requests.handled_total.6", 1),
        ),
        "T3-02",
        [],
    ),
    (
        "T3-02 2019 single other row",
        "2019",
        both(
            setp("requests.other.0", 1),
            setp("requests.other.6", 1),
            setp("requests.handled_total.0", 1),
            setp("requests.handled_total.6", 1),
        ),
        "T3-02",
        [],
    ),
    (
        "T3-02 result not in total",
        "2021",
        both(setp("requests.granted.1", 1), setp("requests.granted.6", 1)),
        "T3-02",
        [FAIL_E, FAIL_E],
    ),
    ("T3-02 null operand", "2021", setp("requests.other_misc.2", None), "T3-02", [NA]),
    ("T3-03 total column wrong", "2021", setp("requests.received.6", 3), "T3-03", [FAIL_E]),
    ("T3-03 null operand", "2021", setp("requests.granted.4", None), "T3-03", [NA]),
    ("T3-04 negative", "2021", setp("requests.granted.0", -1), "T3-04", [FAIL_E]),
    (
        "T3-04 bad-number warning",
        "2021",
        both(
            setp("requests.granted.0", None),
            warn("bad-number", "requests.granted.natural_person", "3件?"),
        ),
        "T3-04",
        [FAIL_E],
    ),
    (
        "T3-05 blank cells in one row",
        "2021",
        both(setp("requests.granted.0", None), setp("requests.granted.1", None)),
        "T3-05",
        [FAIL_W],
    ),
    (
        "T3-05 bad number is not blank",
        "2021",
        both(
            setp("requests.granted.0", None),
            warn("bad-number", "requests.granted.natural_person", "x"),
        ),
        "T3-05",
        [],
    ),
    (
        # the portal could not read it; the report did fill it in: not the report's blank
        "T3-05 OCR-unconfirmed is not blank",
        "2021",
        both(
            setp("requests.granted.0", None),
            warn("ocr-unconfirmed", "requests.granted.natural_person", "12"),
        ),
        "T3-05",
        [],
    ),
    (
        "T4-02 OCR-unconfirmed is not blank",
        "2021",
        both(
            setp("appeals.review.upheld", None),
            warn("ocr-unconfirmed", "appeals.review.upheld", "3"),
        ),
        "T4-02",
        [],
    ),
    ("T3-06 2021 sub-row missing", "2021", delete("requests.other_misc"), "T3-06", [FAIL_E]),
    ("T3-06 2019 with sub-rows", "2019", setp("requests.other_misc", [0] * 7), "T3-06", [FAIL_E]),
    ("T3-06 2019 single row", "2019", NOOP, "T3-06", []),
    ("T3-08 fee mentioned", "2021", setp("requests.other_unpaid_fee.6", 1), "T3-08", []),
    (
        "T3-08 fee not mentioned",
        "2021",
        both(
            setp("requests.other_unpaid_fee.6", 1),
            setp("sections.other", "本年无其他需要报告的事项。"),
        ),
        "T3-08",
        [FAIL_W],
    ),
    (
        "T4-01 adds up",
        "2021",
        both(setp("appeals.suit_direct.upheld", 1), setp("appeals.suit_direct.total", 1)),
        "T4-01",
        [],
    ),
    ("T4-01 wrong total", "2021", setp("appeals.review.total", 1), "T4-01", [FAIL_E]),
    ("T4-01 null operand", "2021", setp("appeals.review.upheld", None), "T4-01", [NA]),
    ("T4-02 blank", "2021", setp("appeals.review.upheld", None), "T4-02", [FAIL_W]),
    ("T4-02 bad value", "2021", setp("appeals.review.upheld", -1), "T4-02", [FAIL_E]),
    ("T2-01 decimal fee", "2021", setp("proactive.fees.amount", 1.2345), "T2-01", []),
    ("T2-01 negative count", "2021", setp("proactive.licensing.decisions", -1), "T2-01", [FAIL_E]),
    ("T2-01 decimal count", "2021", setp("proactive.licensing.decisions", 1.5), "T2-01", [FAIL_E]),
    ("T2-01 not for 2019", "2019", setp("proactive.licensing.change", -1), "T2-01", []),
    (
        "T2-02 元 suffix",
        "2021",
        warn("unit-suffix", "proactive.fees.amount", "152790元"),
        "T2-02",
        [FAIL_I],
    ),
    ("T2-02 huge county fee", "2021", setp("proactive.fees.amount", 20000), "T2-02", [FAIL_I]),
    ("T2-02 plausible fee", "2021", setp("proactive.fees.amount", 20.5), "T2-02", []),
    ("T2-03 negative change allowed", "2019", setp("proactive.licensing.change", -8), "T2-03", []),
    (
        "T2-03 negative elsewhere",
        "2019",
        setp("proactive.licensing.previous", -8),
        "T2-03",
        [FAIL_E],
    ),
    (
        "T2-04 issued above in force",
        "2021",
        setp("proactive.normative_docs.issued", 1),
        "T2-04",
        [FAIL_I],
    ),
    (
        "T2-04 issued and repealed",
        "2021",
        both(
            setp("proactive.normative_docs.issued", 1), setp("proactive.normative_docs.repealed", 1)
        ),
        "T2-04",
        [],
    ),
    (
        "T2-05 published above total",
        "2019",
        setp("proactive.normative_docs.published", 3),
        "T2-05",
        [FAIL_I],
    ),
    (
        "T2-05 published within total",
        "2019",
        both(
            setp("proactive.normative_docs.published", 2),
            setp("proactive.normative_docs.total_published", 4),
        ),
        "T2-05",
        [],
    ),
    (
        "T2-06 county government 规章",
        "2021",
        setp("proactive.rules.in_force", 2),
        "T2-06",
        [FAIL_I],
    ),
    (
        "T2-06 city government 规章",
        "2021",
        both(
            setp("proactive.rules.in_force", 2),
            setp("agency.name", "某市人民政府"),
            setp("title", "某市人民政府2021年政府信息公开工作年度报告"),
        ),
        "T2-06",
        [],
    ),
    ("TX-01 received count agrees", "2021", NOOP, "TX-01", []),
    ("TX-01 received count differs", "2021", setp("requests.received.6", 4), "TX-01", [FAIL_W]),
    (
        "TX-01 handled count differs",
        "2021",
        setp("sections.problems", PROBLEMS + "全年共办理依申请公开1件。"),
        "TX-01",
        [FAIL_W],
    ),
    (
        "TX-01 result group is not a total",
        "2021",
        setp("sections.problems", PROBLEMS + "从办理结果看予以公开2件。"),
        "TX-01",
        [],
    ),
    (
        "TX-01 条 is not 件",
        "2021",
        setp("sections.problems", PROBLEMS + "受理网上依申请公开信息3条。"),
        "TX-01",
        [],
    ),
    (
        "TX-01 repealed differs",
        "2021",
        setp("sections.problems", PROBLEMS + "清理工作中，2个行政规范性文件废止和失效。"),
        "TX-01",
        [FAIL_W],
    ),
    (
        "TX-01 no appeal but table has one",
        "2021",
        both(
            setp("sections.problems", PROBLEMS + "全年未发生行政复议案件。"),
            setp("appeals.review.pending", 1),
            setp("appeals.review.total", 1),
        ),
        "TX-01",
        [FAIL_W],
    ),
    (
        "TX-01 no appeal and none",
        "2021",
        setp(
            "sections.problems",
            PROBLEMS + "未发生因政府信息公开工作被申请行政复议、提起行政诉讼情况。",
        ),
        "TX-01",
        [],
    ),
    ("TX-02 five areas", "2021", NOOP, "TX-02", []),
    (
        "TX-02 none",
        "2021",
        setp("sections.overview", "本年度工作总体平稳。"),
        "TX-02",
        [FAIL_W] * 5,
    ),
    (
        "TX-03 government without duties",
        "2021",
        setp("sections.overview", "主动公开、依申请公开、信息管理、平台建设、监督保障均有进展。"),
        "TX-03",
        [FAIL_W] * 3,
    ),
    (
        "TX-03 department exempt",
        "2021",
        both(
            setp("sections.overview", "主动公开、依申请公开、信息管理、平台建设、监督。"),
            setp("agency.name", "某县人民政府办公室"),
            setp("title", "某县人民政府办公室2021年政府信息公开工作年度报告"),
        ),
        "TX-03",
        [],
    ),
    ("TX-04 bare 无", "2021", setp("sections.problems", "无。"), "TX-04", [FAIL_W]),
    (
        "TX-04 too short",
        "2021",
        setp("sections.problems", "无明显问题，继续努力。"),
        "TX-04",
        [FAIL_W],
    ),
    ("TX-05 2021 without fee statement", "2021", setp("sections.other", "无"), "TX-05", [FAIL_W]),
    ("TX-05 not for 2020", "2019", setp("sections.other", "无"), "TX-05", []),
    (
        "TX-06 2021 bare 无",
        "2021",
        setp("sections.other", "无其他需要报告的事项。"),
        "TX-06",
        [FAIL_I],
    ),
    ("TX-06 2019 bare 无 acceptable", "2019", setp("sections.other", "无。"), "TX-06", []),
    ("TX-06 empty", "2019", setp("sections.other", None), "TX-06", [FAIL_I]),
    ("MD-01 government on time", "2021", setp("published", "2022-03-31"), "MD-01", []),
    ("MD-01 government late", "2021", setp("published", "2022-04-01"), "MD-01", [FAIL_E]),
    (
        "MD-01 department late",
        "2021",
        both(setp("agency.name", "某县人民政府办公室"), setp("published", "2022-02-15")),
        "MD-01",
        [FAIL_E],
    ),
    (
        "MD-01 政府办 is a department",
        "2021",
        both(
            setp("agency.name", "某区政府办"),
            setp("title", "某区政府办2021年政府信息公开工作年度报告"),
            setp("published", "2022-02-15"),
        ),
        "MD-01",
        [FAIL_E],
    ),
    (
        "MD-01 township has no national date",
        "2019",
        both(
            setp("agency.name", "某乡人民政府"),
            setp("title", "某乡 2020 年政府信息公开工作年度报告"),
        ),
        "MD-01",
        [NA],
    ),
    ("MD-01 date unknown", "2021", setp("published", None), "MD-01", [NA]),
    ("MD-02 consistent", "2021", NOOP, "MD-02", []),
    (
        "MD-02 title year",
        "2021",
        setp("title", "某县人民政府2020年政府信息公开工作年度报告"),
        "MD-02",
        [FAIL_E],
    ),
    (
        "MD-02 published in the year itself",
        "2021",
        setp("published", "2021-12-30"),
        "MD-02",
        [FAIL_E],
    ),
    (
        "MD-02 period of another year",
        "2021",
        setp("period", {"start": "2020-01-01", "end": "2020-12-31"}),
        "MD-02",
        [FAIL_E, FAIL_E],
    ),
    (
        "MD-03 neither",
        "2021",
        both(setp("period", None), setp("contact", None)),
        "MD-03",
        [FAIL_I, FAIL_I],
    ),
    ("MD-04 classified", "2021", NOOP, "MD-04", []),
    ("MD-04 unknown", "2021", both(setp("agency.name", None), setp("title", None)), "MD-04", [NA]),
    (
        "MD-04 title and name disagree",
        "2021",
        setp("agency.name", "某县人民政府办公室"),
        "MD-04",
        [FAIL_I],
    ),
    (
        "PR-01 debris",
        "2021",
        warn("debris-removed", None, "[bookmark: _GoBack]"),
        "PR-01",
        [FAIL_I],
    ),
    ("PR-01 clean", "2021", NOOP, "PR-01", []),
]


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_clean_record_has_no_findings(edition: str) -> None:
    assert check_record(make_record(edition)) == []


@pytest.mark.parametrize(
    ("edition", "mutate", "rule", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule_case(
    edition: str, mutate: Callable[[dict], None], rule: str, expected: list[tuple[str, str]]
) -> None:
    record = make_record(edition)
    mutate(record)
    found = [(f.status, f.level) for f in check_record(record) if f.rule == rule]
    assert sorted(found) == sorted(expected)


def test_every_rule_has_a_failing_case() -> None:
    from generator.check import RULES

    covered = {case[3] for case in CASES if case[4]}
    corpus = {rule.id for rule in RULES if rule.scope in ("corpus", "region")}
    assert {rule.id for rule in RULES} - corpus <= covered


def test_findings_follow_the_contract() -> None:
    record = make_record("2021")
    both(
        setp("requests.received.0", 1),
        setp("requests.carried_over.2", None),
        warn("debris-removed", "requests.granted.total", "&nbsp;", line=42),
    )(record)
    findings = check_record(record)
    assert findings
    for finding in findings:
        assert set(finding.to_dict()) == {"rule", "level", "message", "where", "line", "status"}
        assert finding.level in ("error", "warning", "info")
        assert finding.status in ("fail", "not-assessable")
        assert finding.status == "fail" or finding.level == "info"
    assert findings == sorted(findings, key=lambda f: (f.rule, f.where or "", f.message))


def test_t3_01_message_names_column_and_values() -> None:
    record = make_record("2021")
    both(setp("requests.received.0", 1), setp("requests.received.6", 1))(record)
    messages = [f.message for f in check_record(record) if f.rule == "T3-01"]
    assert any("自然人列" in m and "=1" in m and "=0" in m for m in messages)
    assert any("总计列" in m for m in messages)


def test_not_assessable_names_the_missing_cell_and_never_uses_zero() -> None:
    record = make_record("2021")
    # With null read as 0 this column would balance (1 + 0 = 1 + 0); it must not be evaluated.
    both(
        setp("requests.received.0", 1),
        setp("requests.received.6", 1),
        setp("requests.handled_total.0", None),
    )(record)
    t301 = [f for f in check_record(record) if f.rule == "T3-01"]
    assert [f.status for f in t301 if "自然人" in f.message] == ["not-assessable"]
    assert "（七）总计" in t301[-1].message


def test_line_comes_from_parse_warnings() -> None:
    record = make_record("2021")
    both(
        setp("requests.granted.0", None),
        warn("blank-cell", "requests.granted.natural_person", "", line=77),
    )(record)
    (finding,) = [f for f in check_record(record) if f.rule == "T3-05"]
    assert finding.line == 77
    assert finding.where == "requests.granted"


def test_mutations_do_not_leak_between_cases() -> None:
    first = make_record("2021")
    second = copy.deepcopy(first)
    setp("requests.received.0", 9)(first)
    assert second["requests"]["received"][0] == 0
