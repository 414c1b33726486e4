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


def _rule_results(catalog: Catalog, rule_id: str, from_page: str) -> tuple[list, list]:
    """(reports failing the rule, reports where it was not assessable), each with messages."""
    failed, not_assessable = [], []
    for record in catalog.records:
        hits = [f for f in catalog.findings_of(record["id"]) if f.get("rule") == rule_id]
        if not hits:
            continue
        for bucket, status in ((failed, "fail"), (not_assessable, "not-assessable")):
            messages = [
                str(f.get("message") or "") for f in hits if (f.get("status") or "fail") == status
            ]
            if messages:
                bucket.append(
                    {
                        "record": record,
                        "name": agency_name(record),
                        "messages": messages,
                        "href": pages.href(from_page, pages.report_page(record["id"])),
                    }
                )
    return failed, not_assessable


def _rule_items(catalog: Catalog, rules: Sequence[Any], from_page: str) -> list[dict[str, Any]]:
    items = []
    for rule in rules:
        failed, not_assessable = _rule_results(catalog, rule.id, from_page)
        code = str(rule.certainty)
        items.append(
            {
                "rule": rule,
                "href": pages.href(from_page, pages.rule_page(rule.id)),
                "level": _level_label(rule.level),
                "failed": failed,
                "not_assessable": not_assessable,
                "certainty_label": f"{code}（{CERTAINTY[code][0]}）" if code in CERTAINTY else code,
            }
        )
    return items


def render_compliance(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, rules: Sequence[Any]
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
    years = []
    for year in catalog.years:
        records = catalog.by_year(year)
        years.append(
            {
                "year": year,
                "reports": len(records),
                "with_errors": sum(1 for r in records if catalog.counts_of(r["id"])["error"]),
                "counts": count_levels(f for r in records for f in catalog.findings_of(r["id"])),
            }
        )
    body = env.get_template("compliance.md.j2").render(
        report_count=len(catalog.records),
        counts=catalog.total_counts(),
        years=years,
        reports=reports,
        agencies=agencies,
        rules=_rule_items(catalog, rules, page),
    )
    writer.add(page, pages.page_text(body))


def render_rules(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, rules: Sequence[Any]
) -> None:
    for rule in rules:
        validate_rule_id(rule.id)
    families: dict[str, list[dict[str, Any]]] = {}
    for item in _rule_items(catalog, rules, pages.RULES):
        families.setdefault(_family_text(item["rule"].family), []).append(item)
    body = env.get_template("rules_index.md.j2").render(
        families=list(families.items()),  # catalogue order: RULES is the table of contents
        certainty_short=[(code, label) for code, (label, _text) in CERTAINTY.items()],
    )
    writer.add(pages.RULES, pages.page_text(body))
    for rule in rules:
        page = pages.rule_page(rule.id)
        failed, not_assessable = _rule_results(catalog, rule.id, page)
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
            failed=failed,
            not_assessable=not_assessable,
        )
        writer.add(page, pages.page_text(body, title=f"{rule.id} {rule.title}"))
