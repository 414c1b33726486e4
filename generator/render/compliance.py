"""The compliance overview and the rulebook (one page per rule of generator.check.RULES)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from generator.check.rule import OWN_ANALYSIS
from generator.model import LEVELS, Record, count_levels
from generator.render import pages
from generator.render.catalog import Catalog
from generator.render.environment import inline
from generator.render.output import ContentWriter, validate_rule_id

if TYPE_CHECKING:
    from generator.check.rule import Rule

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
SCOPE_NAMES = {
    "report": "单份报告",
    "corpus": "同一机关的历年报告",
    "region": "同一地区各机关的同年度报告（政府本级、部门与下一级政府）",
}
"""What a rule looks at (generator.check.rule: ReportRule, CorpusRule, RegionRule)."""


def _family_text(rule: Rule) -> str:
    return f"{rule.family_name}（{rule.family}）"


LIST_LIMIT = 200
"""The most reports one list on a page shows. At 10,000 reports a rule page listing every
failing report was 4.3 MB and the overview 3.4 MB; the complete lists are downloads
(data/findings.csv.gz, data/records.csv.gz) and each report's own page."""


Hit = tuple[Record, list[str]]
"""A record and the messages of its findings of one rule."""


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What one rule found over the corpus, in catalog order."""

    failed: list[Hit] = field(default_factory=list)
    not_assessable: list[Hit] = field(default_factory=list)


def rule_results(catalog: Catalog) -> dict[str, RuleResult]:
    """rule id -> the records failing it and those where it was not assessable, each with
    the findings' messages, in catalog order; one pass over all findings."""
    results: dict[str, RuleResult] = {}
    for record in catalog.records:
        by_rule: dict[str, dict[str, list[str]]] = {}
        for finding in catalog.findings_of(record.key):
            messages = by_rule.setdefault(finding.rule, {})
            messages.setdefault(finding.status, []).append(finding.message)
        for rule_id, by_status in by_rule.items():
            result = results.setdefault(rule_id, RuleResult())
            if "fail" in by_status:
                result.failed.append((record, by_status["fail"]))
            if "not-assessable" in by_status:
                result.not_assessable.append((record, by_status["not-assessable"]))
    return results


def _listed(hits: list[Hit], from_page: str) -> list[dict[str, Any]]:
    """The first LIST_LIMIT hits as template items with links from from_page."""
    return [
        {
            "record": record,
            "name": record.agency_name,
            "messages": messages,
            "href": pages.href(from_page, pages.report_page(record.key)),
        }
        for record, messages in hits[:LIST_LIMIT]
    ]


def _rule_items(
    rules: Sequence[Rule], from_page: str, results: dict[str, RuleResult]
) -> list[dict[str, Any]]:
    items = []
    for rule in rules:
        result = results.get(rule.id, RuleResult())
        failed, not_assessable = result.failed, result.not_assessable
        code = str(rule.certainty)
        items.append(
            {
                "rule": rule,
                "href": pages.href(from_page, pages.rule_page(rule.id)),
                "level": rule.level.label,
                "failed": len(failed),
                "not_assessable": len(not_assessable),
                "certainty_label": f"{code}（{CERTAINTY[code][0]}）" if code in CERTAINTY else code,
                "own_analysis": OWN_ANALYSIS if rule.own_analysis else "",
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
        key=lambda i: tuple(-i["counts"][level] for level in LEVELS),
    )
    return ranked[:LIST_LIMIT]


def render_compliance(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    rules: Sequence[Rule],
    results: dict[str, RuleResult],
) -> None:
    page = pages.COMPLIANCE
    reports = [
        {
            "record": r,
            "name": r.agency_name,
            "counts": catalog.counts_of(r.key),
            "href": pages.href(page, pages.report_page(r.key)) + "#checks",
        }
        for r in sorted(catalog.records, key=lambda r: (-r.report_year, r.key))
    ]
    agencies = [
        {
            "name": a.name,
            "reports": len(a.records),
            "href": pages.href(page, pages.agency_page(a.slug)),
            "counts": count_levels(f for r in a.records for f in catalog.findings_of(r.key)),
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
        records_csv=pages.href(page, pages.download(pages.RECORDS_CSV)),
        findings_csv=pages.href(page, pages.download(pages.FINDINGS_CSV)),
        rules=_rule_items(rules, page, results),
    )
    writer.add(page, pages.page_text(body))


CITATION = re.compile(r"格式说明((?:\s*[§、,，]\s*§?\d+(?:\.\d+)?)+)")
SECTION = re.compile(r"§?(\d+)(?:\.(\d+))?")


def cite_format(line: str, format_href: str) -> Markup:
    """A basis line, escaped, its 格式说明 §N citations linked to the sections of the format
    page (format.md#sN-M): every citation resolves on the site itself."""
    escaped = str(inline(line))

    def link(match: re.Match[str]) -> str:
        parts = []
        for section in SECTION.finditer(match.group(1)):
            anchor = "s" + section.group(1) + (f"-{section.group(2)}" if section.group(2) else "")
            parts.append(f"[§{section.group(0).lstrip('§')}]({format_href}#{anchor})")
        return "格式说明 " + "、".join(parts)

    return Markup(CITATION.sub(link, escaped))


def render_format(env: jinja2.Environment, writer: ContentWriter) -> None:
    """The 格式说明 page: the official format and the texts the rules cite."""
    writer.add(pages.FORMAT, pages.page_text(env.get_template("format.md.j2").render()))


def render_rules(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    rules: Sequence[Rule],
    results: dict[str, RuleResult],
) -> None:
    for rule in rules:
        validate_rule_id(rule.id)
    families: dict[str, list[dict[str, Any]]] = {}
    for item in _rule_items(rules, pages.RULES, results):
        families.setdefault(_family_text(item["rule"]), []).append(item)
    body = env.get_template("rules_index.md.j2").render(
        families=list(families.items()),  # catalogue order: RULES is the table of contents
        certainty_short=[(code, label) for code, (label, _text) in CERTAINTY.items()],
    )
    writer.add(pages.RULES, pages.page_text(body))
    for rule in rules:
        page = pages.rule_page(rule.id)
        result = results.get(rule.id, RuleResult())
        failed, not_assessable = result.failed, result.not_assessable
        code = str(rule.certainty)
        label, text = CERTAINTY.get(code, ("未知", "规则没有标明依据的可信度。"))
        body = env.get_template("rule.md.j2").render(
            rule=rule,
            level=rule.level.label,
            family=_family_text(rule),
            scope=SCOPE_NAMES[rule.scope],
            certainty_label=f"{code}（{label}）",
            certainty_text=f"{code}（{label}）：{text}",
            weak=WEAK_BASIS.get(code, ""),
            own_analysis=OWN_ANALYSIS if rule.own_analysis else "",
            basis_lines=[
                cite_format(line, pages.href(page, pages.FORMAT))
                for line in str(rule.basis or "").splitlines()
                if line.strip()
            ],
            failed=_listed(failed, page),
            failed_total=len(failed),
            not_assessable=_listed(not_assessable, page),
            not_assessable_total=len(not_assessable),
            limit=LIST_LIMIT,
            findings_csv=pages.href(page, pages.download(pages.FINDINGS_CSV)),
        )
        writer.add(page, pages.page_text(body, title=f"{rule.id} {rule.title}"))
