"""Report pages (reports/<slug>/<year>.md), agency pages, and the copied source and YAML files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import record as spec
from generator.render import pages, tables
from generator.render.catalog import (
    UNKNOWN_REGION,
    Agency,
    Catalog,
    agency_name,
    appeal_total,
    group_total,
    request_total,
)
from generator.render.output import ContentWriter

SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
EDITION_TEXT = {
    "2019": "2019 版（国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》）",
    "2021": "2021 版（国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》）",
}
CONTACT_LABELS = (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"),
                  ("email", "邮箱"), ("website", "网站"))
# Source files are served from the portal's own origin: only formats a browser will not run
# as a page keep their extension; anything else (html, md, ...) is published as text.
SOURCE_EXTENSIONS = {"txt", "pdf", "docx", "doc", "wps", "xls", "xlsx", "odt", "rtf"}
_EXT = re.compile(r"^[a-z0-9]{1,8}$")

# Agency page rows: (label, value function). Group rows sum the 总计 of their sub-rows.
KEY_FIGURES = (
    ("本年新收申请", lambda r: request_total(r, "received")),
    ("上年结转", lambda r: request_total(r, "carried_over")),
    ("予以公开", lambda r: request_total(r, "granted")),
    ("部分公开", lambda r: request_total(r, "partly_granted")),
    ("不予公开", lambda r: group_total(r, "denied")),
    ("无法提供", lambda r: group_total(r, "unable")),
    ("不予处理", lambda r: group_total(r, "rejected")),
    ("其他处理", lambda r: group_total(r, "other")),
    ("办理结果总计", lambda r: request_total(r, "handled_total")),
    ("结转下年度", lambda r: request_total(r, "carried_forward")),
    ("行政复议总计", lambda r: appeal_total(r, "review")),
    ("行政诉讼总计（未经复议直接起诉）", lambda r: appeal_total(r, "suit_direct")),
    ("行政诉讼总计（复议后起诉）", lambda r: appeal_total(r, "suit_after_review")),
)


def source_suffix(source: Path) -> str:
    ext = source.suffix.lower().lstrip(".")
    if not _EXT.match(ext):
        return ".bin"
    return f".{ext}" if ext in SOURCE_EXTENSIONS else f".{ext}.txt"


def _region_text(region: dict[str, Any] | None) -> str | None:
    names = [str(region[k]) for k in ("province", "city", "county", "township")
             if region and region.get(k)]
    return " / ".join(names) or None


def _period_text(period: dict[str, Any] | None) -> str | None:
    if not period or not (period.get("start") or period.get("end")):
        return None
    return f"{period.get('start') or '?'} 至 {period.get('end') or '?'}"


def _contact_text(contact: dict[str, Any] | None) -> str | None:
    parts = [f"{label}：{contact[key]}" for key, label in CONTACT_LABELS
             if contact and contact.get(key)]
    return "；".join(parts) or None


def _normalise(items: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Fill optional keys so templates (StrictUndefined) can test them."""
    return [{**dict.fromkeys(keys), **item} for item in items]


def render_report(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog,
                  record: dict[str, Any], source: Path | None,
                  rule_titles: dict[str, str]) -> None:
    rid = record["id"]
    page = pages.report_page(rid)
    year_name = rid.split("/")[1]
    source_name = "原始文件"
    source_href = None
    if source is not None:
        suffix = source_suffix(source)
        writer.add(f"reports/{rid}{suffix}", source.read_bytes())
        source_href = Markup(f"{year_name}{suffix}")
        source_name = f"原始文件（{suffix.lstrip('.')}）"
    writer.add(f"reports/{rid}.yml", spec.record_to_yaml(record))
    cell_anchors = tables.anchors(record)
    findings = _normalise(catalog.findings_of(rid), ("rule", "level", "message", "where", "line",
                                                     "status"))
    for finding in findings:
        # Link a finding to its cell only through the page's own (trusted, ASCII) anchors.
        anchor = str(finding["where"] or "").replace(".", "-")
        finding["anchor"] = Markup(anchor) if anchor in cell_anchors else None
    warnings = _normalise((record.get("parse") or {}).get("warnings") or [],
                          ("code", "message", "line", "where", "text"))
    name = agency_name(record)
    edition = record.get("edition")
    body = env.get_template("report.md.j2").render(
        r=record,
        heading=f"{name}{record['year']}年政府信息公开工作年度报告",
        agency_name=name,
        edition_text=EDITION_TEXT.get(str(edition), "未识别（报告中未找到统计表格）"),
        period=_period_text(record.get("period")),
        region=_region_text((record.get("agency") or {}).get("region")),
        contact=_contact_text(record.get("contact")),
        counts=catalog.counts_of(rid),
        source_name=source_name,
        source_href=source_href or Markup(f"{year_name}.yml"),
        yaml_href=Markup(f"{year_name}.yml"),
        titles=SECTION_TITLES,
        section_titles=list(SECTION_TITLES.items()),
        proactive_blocks=tables.proactive_blocks(record),
        request_rows=tables.request_rows(record),
        request_columns=[spec.REQUEST_COLUMN_LABELS[c] for c in spec.REQUEST_COLUMNS],
        appeal_groups=tables.appeal_groups(),
        appeal_fields=[spec.APPEAL_FIELD_LABELS[f] for f in spec.APPEAL_FIELDS],
        appeal_values=tables.appeal_values(record),
        findings=findings,
        warnings=warnings,
        rule_href={r: pages.href(page, pages.rule_page(r)) for r in rule_titles},
        rule_titles=rule_titles,
    )
    title = record.get("title") or f"{name}{record['year']}年政府信息公开工作年度报告"
    tags = [f"{record['year']}年", f"{edition} 版格式" if edition else "格式未识别", name]
    writer.add(page, pages.page_text(body, title=title, tags=tags))


def render_agency(env: jinja2.Environment, writer: ContentWriter, catalog: Catalog,
                  agency: Agency) -> None:
    figures = [(label, [fn(r) for r in agency.records]) for label, fn in KEY_FIGURES]
    figures.append(("合规检查：错误", [catalog.counts_of(r["id"])["error"] for r in agency.records]))
    figures.append(("合规检查：警告", [catalog.counts_of(r["id"])["warning"] for r in agency.records]))
    body = env.get_template("agency.md.j2").render(
        agency=agency, figures=figures, region=_region_text(agency.region),
        unknown_region=UNKNOWN_REGION,
    )
    writer.add(pages.agency_page(agency.slug), pages.page_text(body, title=agency.name))
