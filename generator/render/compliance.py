"""The compliance overview and the rulebook (one page per rule of generator.check.RULES)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jinja2

from generator.render import pages
from generator.render.catalog import LEVEL_LABELS, Catalog, agency_name, count_levels
from generator.render.output import ContentWriter, validate_rule_id

# How sure a rule is (format-and-rules.md: tags on every claim).
CERTAINTY = {
    "V": ("已核实", "规则的依据已在公开来源（官方文件原文或其转载）中查到并核对。"),
    "S": ("样本所见", "规则的依据只在本项目收集的样本报告中见到，尚未在官方文件中查到原文。"),
    "D": (
        "推断",
        "规则的依据是从《中华人民共和国政府信息公开条例》或表格设计推断出来的，"
        "官方文件没有逐字这样规定。",
    ),
    "U": ("未证实", "规则的依据尚未得到证实：没有找到能确认它的官方文本。"),
}
WEAK_BASIS = {"D": "是推断得出的", "U": "尚未得到证实"}
# Rule families (the id prefixes of format-and-rules.md §5) and scopes (generator.check.Rule).
FAMILY_NAMES = {
    "STR": "报告结构",
    "ED": "表格格式版本",
    "T2": "第二部分表格（主动公开）",
    "T3": "第三部分表格（依申请公开）",
    "T4": "第四部分表格（行政复议、行政诉讼）",
    "TX": "正文内容",
    "MD": "发布时间与基本信息",
    "PR": "文本预处理",
}
SCOPE_NAMES = {"report": "单份报告", "corpus": "同一机关的历年报告"}


def _level_label(level: Any) -> str:
    return LEVEL_LABELS.get(str(level), str(level))


def _scope_text(scope: Any) -> str | None:
    if scope is None or scope == "":
        return None
    if isinstance(scope, list | tuple | set | frozenset):
        return "、".join(sorted(str(s) for s in scope))
    return SCOPE_NAMES.get(str(scope), str(scope))


def _family_text(family: Any) -> str:
    if not family:
        return "其他"
    name = FAMILY_NAMES.get(str(family))
    return f"{name}（{family}）" if name else str(family)


LIST_LIMIT = 200
"""The most reports one list on a page shows. At 10,000 reports a rule page listing every
failing report was 4.3 MB and the overview 3.4 MB; the complete lists are downloads
(data/findings.csv, data/records.csv) and each report's own page."""


def rule_results(catalog: Catalog) -> dict[str, tuple[list, list]]:
    """rule id -> (records failing it, records where it was not assessable), each as
    (record, messages) in catalog order; one pass over all findings."""
    results: dict[str, tuple[list, list]] = {}
    for record in catalog.records:
        by_rule: dict[str, dict[str, list[str]]] = {}
        for finding in catalog.findings_of(record["id"]):
            status = finding.get("status") or "fail"
            messages = by_rule.setdefault(str(finding.get("rule")), {})
            messages.setdefault(status, []).append(str(finding.get("message") or ""))
        for rule_id, by_status in by_rule.items():
            failed, not_assessable = results.setdefault(rule_id, ([], []))
            if "fail" in by_status:
                failed.append((record, by_status["fail"]))
            if "not-assessable" in by_status:
                not_assessable.append((record, by_status["not-assessable"]))
    return results


def _listed(hits: list, from_page: str) -> list[dict[str, Any]]:
    """The first LIST_LIMIT hits as template items with links from from_page."""
    return [
        {
            "record": record,
            "name": agency_name(record),
            "messages": messages,
            "href": pages.href(from_page, pages.report_page(record["id"])),
        }
        for record, messages in hits[:LIST_LIMIT]
    ]


def _rule_items(
    rules: Sequence[Any], from_page: str, results: dict[str, tuple[list, list]]
) -> list[dict[str, Any]]:
    items = []
    for rule in rules:
        failed, not_assessable = results.get(rule.id, ([], []))
        code = str(rule.certainty)
        items.append(
            {
                "rule": rule,
                "href": pages.href(from_page, pages.rule_page(rule.id)),
                "level": _level_label(rule.level),
                "failed": len(failed),
                "not_assessable": len(not_assessable),
                "certainty_label": f"{code}（{CERTAINTY[code][0]}）" if code in CERTAINTY else code,
            }
        )
    return items


def _most_findings(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All items when there are at most LIST_LIMIT, else the LIST_LIMIT with the most errors
    (then warnings, then notes; ties in the given order)."""
    if len(items) <= LIST_LIMIT:
        return items
    ranked = sorted(
        items,
        key=lambda i: (-i["counts"]["error"], -i["counts"]["warning"], -i["counts"]["info"]),
    )
    return ranked[:LIST_LIMIT]


def render_compliance(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    rules: Sequence[Any],
    results: dict[str, tuple[list, list]],
) -> None:
    page = pages.COMPLIANCE
    reports = [
        {
            "record": r,
            "name": agency_name(r),
            "counts": catalog.counts_of(r["id"]),
            "href": pages.href(page, pages.report_page(r["id"])) + "#checks",
        }
        for r in sorted(catalog.records, key=lambda r: (-int(r["year"]), r["id"]))
    ]
    agencies = [
        {
            "name": a.name,
            "reports": len(a.records),
            "href": pages.href(page, pages.agency_page(a.slug)),
            "counts": count_levels(f for r in a.records for f in catalog.findings_of(r["id"])),
        }
        for a in catalog.agencies
    ]
    years = [catalog.year_summary(year) for year in catalog.years]
    body = env.get_template("compliance.md.j2").render(
        report_count=len(catalog.records),
        counts=catalog.total_counts(),
        years=years,
        reports=_most_findings(reports),
        reports_total=len(reports),
        agencies=_most_findings(agencies),
        agencies_total=len(agencies),
        limit=LIST_LIMIT,
        records_csv=pages.href(page, pages.RECORDS_CSV),
        findings_csv=pages.href(page, pages.FINDINGS_CSV),
        rules=_rule_items(rules, page, results),
    )
    writer.add(page, pages.page_text(body))


def render_rules(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    rules: Sequence[Any],
    results: dict[str, tuple[list, list]],
) -> None:
    for rule in rules:
        validate_rule_id(rule.id)
    families: dict[str, list[dict[str, Any]]] = {}
    for item in _rule_items(rules, pages.RULES, results):
        families.setdefault(_family_text(item["rule"].family), []).append(item)
    body = env.get_template("rules_index.md.j2").render(
        families=list(families.items()),  # catalogue order: RULES is the table of contents
        certainty_short=[(code, label) for code, (label, _text) in CERTAINTY.items()],
    )
    writer.add(pages.RULES, pages.page_text(body))
    for rule in rules:
        page = pages.rule_page(rule.id)
        failed, not_assessable = results.get(rule.id, ([], []))
        code = str(rule.certainty)
        label, text = CERTAINTY.get(code, ("未知", "规则没有标明依据的可信度。"))
        body = env.get_template("rule.md.j2").render(
            rule=rule,
            level=_level_label(rule.level),
            family=_family_text(rule.family),
            scope=_scope_text(getattr(rule, "scope", None)),
            certainty_label=f"{code}（{label}）",
            certainty_text=f"{code}（{label}）：{text}",
            weak=WEAK_BASIS.get(code, ""),
            basis_lines=[line for line in str(rule.basis or "").splitlines() if line.strip()],
            failed=_listed(failed, page),
            failed_total=len(failed),
            not_assessable=_listed(not_assessable, page),
            not_assessable_total=len(not_assessable),
            limit=LIST_LIMIT,
            findings_csv=pages.href(page, pages.FINDINGS_CSV),
        )
        writer.add(page, pages.page_text(body, title=f"{rule.id} {rule.title}"))
