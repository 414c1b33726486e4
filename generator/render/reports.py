"""Report pages (reports/<slug>/<year>.md), agency pages, and the copied source and YAML files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import record as spec
from generator.render import charts, figures, pages, tables
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
from generator.render.searchterms import search_terms

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
CONTACT_LABELS = (
    ("address", "地址"),
    ("postcode", "邮编"),
    ("phone", "电话"),
    ("email", "邮箱"),
    ("website", "网站"),
)
# Source files are served from the portal's own origin: only formats a browser will not run
# as a page keep their extension; anything else (html, md, ...) is published as text.
SOURCE_EXTENSIONS = {"txt", "pdf", "docx", "doc", "wps", "xls", "xlsx", "odt", "rtf"}
SOURCE_EXTENSIONS |= {"png", "jpg", "jpeg", "tif", "tiff"}  # scanned pages (never SVG: a page)
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
    names = [
        str(region[k])
        for k in ("province", "city", "county", "township")
        if region and region.get(k)
    ]
    return " / ".join(names) or None


def _period_text(period: dict[str, Any] | None) -> str | None:
    if not period or not (period.get("start") or period.get("end")):
        return None
    return f"{period.get('start') or '?'} 至 {period.get('end') or '?'}"


def _contact_text(contact: dict[str, Any] | None) -> str | None:
    parts = [
        f"{label}：{contact[key]}" for key, label in CONTACT_LABELS if contact and contact.get(key)
    ]
    return "；".join(parts) or None


def _normalise(items: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Fill optional keys so templates (StrictUndefined) can test them."""
    return [{**dict.fromkeys(keys), **item} for item in items]


def add_report_files(
    writer: ContentWriter,
    record: dict[str, Any],
    source: Path | None,
    suffix: str | None,
    yaml_text: str,
) -> None:
    """The published copy of the source file (read afresh every build) and the record's YAML."""
    rid = record["id"]
    if source is not None and suffix is not None:
        writer.add(f"reports/{rid}{suffix}", source.read_bytes())
    writer.add(f"reports/{rid}.yml", yaml_text)


def report_page_text(
    env: jinja2.Environment,
    catalog: Catalog,
    record: dict[str, Any],
    suffix: str | None,
    rule_titles: dict[str, str],
) -> str:
    """The report page. It depends on the record, its findings, the source's published suffix
    and the rule titles only (generator/render/memo.py keys its cache on exactly these)."""
    rid = record["id"]
    page = pages.report_page(rid)
    year_name = rid.split("/")[1]
    source_name = "原始文件"
    source_href = None
    if suffix is not None:
        source_href = Markup(f"{year_name}{suffix}")
        source_name = f"原始文件（{suffix.lstrip('.')}）"
    cell_anchors = tables.anchors(record)
    findings = _normalise(
        catalog.findings_of(rid), ("rule", "level", "message", "where", "line", "status")
    )
    for finding in findings:
        # Link a finding to its cell only through the page's own (trusted, ASCII) anchors.
        anchor = str(finding["where"] or "").replace(".", "-")
        finding["anchor"] = Markup(anchor) if anchor in cell_anchors else None
    warnings = _normalise(
        (record.get("parse") or {}).get("warnings") or [],
        ("code", "message", "line", "where", "text"),
    )
    ocr = ocr_note(record, findings, warnings, cell_anchors)
    name = agency_name(record)
    edition = record.get("edition")
    corrections = _normalise(
        [c for c in record.get("corrections") or [] if isinstance(c, dict)],
        ("path", "original", "value", "reason", "by", "date"),
    )
    for correction in corrections:
        anchor = str(correction["path"] or "").replace(".", "-")
        correction["anchor"] = Markup(anchor) if anchor in cell_anchors else None
    rejected = _normalise(
        [c for c in record.get("corrections_rejected") or [] if isinstance(c, dict)],
        ("sidecar", "entry", "path", "problem"),
    )
    versions = []
    for version in record.get("previous_versions") or []:
        if not isinstance(version, dict):
            continue
        item = _normalise([version], ("file", "sha256", "published", "table_changes", "text_diff"))[
            0
        ]
        item["table_changes"] = _normalise(
            [c for c in item["table_changes"] or [] if isinstance(c, dict)], ("where", "old", "new")
        )
        versions.append(item)
    region_names = list(((record.get("agency") or {}).get("region") or {}).values())
    terms = search_terms(
        [
            record.get("title"),
            name,
            *region_names,
            *SECTION_TITLES.values(),
            *(label for _, label in spec.request_rows(edition)),
            *(label for _, label, _ in spec.proactive_rows(edition)),
            *(label for _, label in spec.APPEAL_GROUPS),
            "依申请公开",
        ],
        text="".join(v for v in (record.get("sections") or {}).values() if v),
    )
    body = env.get_template("report.md.j2").render(
        search_terms=terms,
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
        ocr=ocr,
        corrections=corrections,
        rejected_corrections=rejected,
        versions=versions,
        rule_href={r: pages.href(page, pages.rule_page(r)) for r in rule_titles},
        rule_titles=rule_titles,
    )
    title = record.get("title") or f"{name}{record['year']}年政府信息公开工作年度报告"
    tags = [f"{record['year']}年", f"{edition} 版格式" if edition else "格式未识别", name]
    return pages.page_text(body, title=title, tags=tags)


IDENTITY_RULES = ("T3-01", "T3-02", "T3-03", "T4-01")
"""The 勾稽 identities of tables 三 and 四: a second witness for values read by OCR."""


def ocr_note(
    record: dict[str, Any],
    findings: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
    cell_anchors: set[str],
) -> dict[str, Any] | None:
    """What the page says about a report read by OCR (None for one with text of its own):
    the cells OCR could not confirm, linked, and whether the identities hold."""
    ocr = (record.get("source") or {}).get("ocr")
    if not isinstance(ocr, dict):
        return None
    unconfirmed = []
    for w in warnings:
        if w["code"] == "ocr-unconfirmed":
            anchor = str(w["where"] or "").replace(".", "-")
            # "page 2: 表三 一、本年新收… / 总计 was read by OCR as …" -> "第 2 页 表三 …/ 总计"
            place = str(w["message"] or w["where"] or "").split(" was read by OCR")[0]
            place = re.sub(r"^page (\d+): ", r"第 \1 页 ", place)
            unconfirmed.append(
                {"where": place, "anchor": Markup(anchor) if anchor in cell_anchors else None}
            )
    identity = [f for f in findings if f.get("rule") in IDENTITY_RULES]
    failed = sorted({str(f["rule"]) for f in identity if f.get("status") == "fail"})
    if failed:
        verdict = f"勾稽关系不成立（{'、'.join(failed)}，见合规检查）：" + (
            "OCR 确认的数值本身加总不符，问题更可能在报告本身，请对照原始扫描件。"
            if not unconfirmed
            else "可能是报告本身有误，也可能是 OCR 误读，请对照原始扫描件。"
        )
    elif any(f.get("status") == "not-assessable" for f in identity):
        verdict = "可核对的勾稽关系全部成立；有空白或 OCR 未能确认的格，其余等式无法核对。"
    else:
        verdict = (
            f"勾稽关系全部成立（{'、'.join(IDENTITY_RULES)}）：OCR 读出的数值与报告自身的合计一致。"
        )
    return {
        "engine": f"{ocr.get('engine')} {ocr.get('version')}",
        "unconfirmed": unconfirmed,
        "verdict": verdict,
    }


def _agency_charts(catalog: Catalog, agency: Agency) -> dict[str, Any]:
    """Trend charts over the agency's years (missing years are gaps) and the edition note."""
    by_year = {int(r["year"]): r for r in agency.records}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []

    def column(get: Any) -> list[Any]:
        return [get(by_year[y]) if y in by_year else None for y in years]

    editions = [by_year[y].get("edition") if y in by_year else None for y in years]
    known = [e for e in editions if e]
    changed = len(set(known)) > 1
    change_year = next(
        (
            years[i]
            for i in range(1, len(years))
            if editions[i] and known and editions[i] != known[0]
        ),
        None,
    )
    name = agency.name
    requests_chart = charts.line_chart(
        [(label, column(get)) for label, get in figures.MAIN_SERIES],
        years,
        f"{name}：申请数量（第三部分总计列）",
    )
    appeals_chart = charts.line_chart(
        [(label, column(get)) for label, get in figures.APPEAL_SERIES],
        years,
        f"{name}：行政复议、行政诉讼（第四部分）",
    )
    proactive_chart = charts.line_chart(
        [(label, column(get)) for label, get in figures.PROACTIVE_SERIES],
        years,
        f"{name}：主动公开（第二部分）",
        segments=editions,
        note="两版格式的行和列不同，按格式分段绘制" if changed else None,
    )
    report_years = sorted(by_year)
    levels = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
    compliance_rows = [
        {"year": y, "href": Markup(f"{y}.md"), "counts": catalog.counts_of(by_year[y]["id"])}
        for y in reversed(report_years)
    ]
    compliance_chart = Markup("")
    if len(report_years) > 1:
        compliance_chart = charts.bar_chart(
            [
                (label, [catalog.counts_of(by_year[y]["id"])[level] for y in report_years])
                for level, label in levels
            ],
            report_years,
            f"{name}：各年度合规检查发现（按级别）",
        )
    elif report_years:
        year = report_years[0]
        counts = catalog.counts_of(by_year[year]["id"])
        compliance_chart = charts.bar_chart(
            [("发现条数", [counts[level] for level, _label in levels])],
            [label for _level, label in levels],
            f"{name}：{year}年合规检查发现（按级别）",
        )
    return {
        "requests_chart": requests_chart,
        "appeals_chart": appeals_chart,
        "proactive_chart": proactive_chart,
        "compliance_chart": compliance_chart,
        "compliance_rows": compliance_rows,
        "edition_changed": changed,
        "change_year": change_year,
        "missing_years": [y for y in years if y not in by_year],
    }


def agency_page_text(env: jinja2.Environment, catalog: Catalog, agency: Agency) -> str:
    """The agency page. It depends on the agency's records and their findings only
    (generator/render/memo.py keys its cache on exactly these)."""
    figures_ = [(label, [fn(r) for r in agency.records]) for label, fn in KEY_FIGURES]
    figures_.append(
        ("合规检查：错误", [catalog.counts_of(r["id"])["error"] for r in agency.records])
    )
    figures_.append(
        ("合规检查：警告", [catalog.counts_of(r["id"])["warning"] for r in agency.records])
    )
    page = pages.agency_page(agency.slug)
    body = env.get_template("agency.md.j2").render(
        search_terms=search_terms([agency.name, *agency.region_path()]),
        agency=agency,
        figures=figures_,
        region=_region_text(agency.region),
        unknown_region=UNKNOWN_REGION,
        feed_href=pages.href(page, pages.agency_feed(agency.slug)),
        csv_href=pages.href(page, pages.agency_csv(agency.slug)),
        **_agency_charts(catalog, agency),
    )
    return pages.page_text(body, title=agency.name)
