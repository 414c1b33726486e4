"""Report pages (reports/<slug>/<year>.md), agency pages, the copied (or linked) source files and
the script that gives the tables' cells their ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator import record as spec
from generator.analysis.cite import CitedReport, cite
from generator.analysis.promises import YearLedger
from generator.analysis.records import iso_date
from generator.ingest.encoding import decode_text
from generator.model import (
    EDITIONS,
    LEVELS,
    Contact,
    Finding,
    Period,
    Record,
    Region,
    split_record_id,
)
from generator.model.places import place_name
from generator.render import analyses, charts, figures, pages, tables
from generator.render.catalog import UNKNOWN_REGION, Agency, Catalog
from generator.render.environment import NullReason
from generator.render.notes import parse_notes
from generator.render.output import ContentWriter

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


def source_suffix(source: Path) -> str:
    ext = source.suffix.lower().lstrip(".")
    if not _EXT.match(ext):
        return ".bin"
    return f".{ext}" if ext in SOURCE_EXTENSIONS else f".{ext}.txt"


def _region_text(region: Region | None) -> str | None:
    names = [name for name in (region.names() if region else ()) if name]
    return " / ".join(names) or None


def _period_text(period: Period | None) -> str | None:
    if not period or not (period.start or period.end):
        return None
    return f"{period.start or '?'} 至 {period.end or '?'}"


def _contact_text(contact: Contact | None) -> str | None:
    values = contact.to_dict() if contact else {}
    parts = [f"{label}：{values[key]}" for key, label in CONTACT_LABELS if values.get(key)]
    return "；".join(parts) or None


def add_report_files(
    writer: ContentWriter,
    record: Record,
    source: Path | None,
    suffix: str | None,
) -> None:
    """The published copy of the source file (a hard link to it where the folders share a
    file system: ContentWriter.add_copy). The record itself is published in the whole-corpus
    downloads (data/records.yaml.gz, records.json.gz, records.csv.gz), not in a file of its own:
    at 10,000 reports the files of their own were 97.9 MB of a 943.7 MB site (issue 15)."""
    rid = record.key
    if source is not None and suffix is not None:
        writer.add_copy(f"reports/{rid}{suffix}", source)
        if source_encoding(record, suffix) is not None:
            writer.add(f"reports/{rid}{UTF8_SUFFIX}", decode_text(source.read_bytes())[0])


def source_link(sources_url: str, file: str) -> str:
    """The address of a source file in the portal's repository: the reports folder's address
    (site.sources_url) and the file's path under it, each part percent-encoded but for its
    printable non-ASCII characters (an IRI, as browsers send it: 黑龙江省, not
    %E9%BB%91..., a third of the bytes), so a name cannot add a query, a fragment or a folder
    above reports/: "..", "." and empty parts are dropped. The template escapes it."""
    parts = [_iri_part(part) for part in file.split("/") if part not in ("", ".", "..")]
    return sources_url + "/".join(parts)


def _iri_part(part: str) -> str:
    """A path segment percent-encoded except for printable non-ASCII characters (space-like
    and invisible ones, such as U+3000 or U+200B, are encoded)."""
    return "".join(
        ch if ord(ch) > 0x7F and ch.isprintable() and not ch.isspace() else quote(ch, safe="")
        for ch in part
    )


CELL_ANCHORS_JS = "js/cell-anchors.js"
"""The script that gives the statistical tables' value cells their ids (mkdocs.yml
extra_javascript; cell-anchors.js.j2)."""


def render_cell_anchors(env: jinja2.Environment, writer: ContentWriter) -> None:
    """content/js/cell-anchors.js: the value-cell ids of every edition's tables, by each
    table's data-nb-cells (`2021-requests`)."""
    anchors = {
        f"{edition}-{kind}": list(ids)
        for edition in EDITIONS
        for kind, ids in tables.edition_anchors(edition).items()
    }
    writer.add(CELL_ANCHORS_JS, env.get_template("cell-anchors.js.j2").render(anchors=anchors))


UTF8_SUFFIX = ".utf8.txt"
"""A text source that is not UTF-8 (GBK, GB18030) is published as received and, beside it, as
UTF-8 text, decoded as the parser read it: GitHub Pages and most servers send a .txt as UTF-8
(or with no charset), and a GBK file then shows as mojibake."""
_DECODED_AS = re.compile(r"decoded as ([A-Za-z0-9_-]+)")


def source_encoding(record: Record, suffix: str | None) -> str | None:
    """The encoding a text source was read in when it is not UTF-8 (the reader's
    encoding-guessed warning names it), else None."""
    if suffix != ".txt":
        return None
    for warning in record.parse.warnings:
        if warning.code == "encoding-guessed":
            named = _DECODED_AS.search(warning.message or "")
            return named.group(1).upper() if named else "未知编码"
    return None


_ACCESSED = date(1, 1, 1)
"""A stand-in access date: the page fills in the reader's own (content/assets/js/cite.js)."""


def citation(record: Record, base_url: str | None) -> dict[str, Any]:
    """引用本报告 (generator/analysis/cite.py) in three parts around the access date and the
    URL, which the page fills in: the URL is absolute when the portal's address is configured
    (mkdocs.yml site_url, or extra: portal_url), else the page's path from the site root."""
    path = f"reports/{record.key}/"
    url = f"{base_url.rstrip('/')}/{path}" if base_url else path
    text = cite(
        CitedReport(
            agency=record.agency_name,
            title=record.title,
            year=record.report_year,
            published=iso_date(record.published),
            file=record.source.file,
            sha256=record.source.sha256 or "",
            url=url,
        ),
        _ACCESSED,
    )
    before, _, rest = text.partition(f"[{_ACCESSED.isoformat()}]. ")
    after = rest[len(url) + 2 :] if rest.startswith(f"{url}. ") else rest
    return {"before": before, "url": url, "after": after, "absolute": bool(base_url)}


def report_page_text(
    env: jinja2.Environment,
    catalog: Catalog,
    record: Record,
    suffix: str | None,
    rule_titles: dict[str, str],
    base_url: str | None = None,
    sources_url: str | None = None,
) -> str:
    """The report page. It depends on the record, its findings, the source's published suffix,
    the rule titles, the portal's address and the sources' address only
    (generator/render/memo.py keys its cache on exactly these)."""
    rid = record.key
    page = pages.report_page(rid)
    year_name = f"{split_record_id(rid)[1]:04d}"  # the page's own file name, as in the id
    source_name = "原始文件"
    source_href: str | None = None
    utf8_href = None
    if suffix is not None:
        source_href = Markup(f"{year_name}{suffix}")
        source_name = f"原始文件（{suffix.lstrip('.')}）"
        encoding = source_encoding(record, suffix)
        if encoding is not None:
            source_name = f"原始文件（{suffix.lstrip('.')}，{encoding} 编码）"
            utf8_href = Markup(f"{year_name}{UTF8_SUFFIX}")
    elif sources_url is not None and record.source.file:
        source_href = source_link(sources_url, record.source.file)
        ext = PurePosixPath(record.source.file).suffix.lower().lstrip(".")
        source_name = (
            f"原始文件（{ext}，在本门户的代码仓库中）"
            if ext
            else "原始文件（在本门户的代码仓库中）"
        )
    cell_anchors = tables.anchors(record)

    def cell_anchor(where: str | None) -> Markup | None:
        """The page's own anchor of a cell's key path (trusted ASCII), else None: a finding
        or correction links to its cell only through these."""
        anchor = (where or "").replace(".", "-")
        return Markup(anchor) if anchor in cell_anchors else None

    name = record.agency_name
    edition = record.edition
    layout = tables.layout_edition(record)
    ocr = ocr_note(record, catalog.findings_of(rid), cell_anchor)
    nulls = null_reasons(record, cell_anchors)
    body = env.get_template("report.md.j2").render(
        r=record,
        heading=f"{name}{record.year}年政府信息公开工作年度报告",
        agency_name=name,
        edition_text=EDITION_TEXT.get(str(edition), "未识别（报告中未找到统计表格）"),
        period=_period_text(record.period),
        region=_region_text(record.agency.region),
        contact=_contact_text(record.contact),
        counts=catalog.counts_of(rid),
        source_name=source_name,
        utf8_href=utf8_href,
        source_href=source_href,
        data_href=pages.href(page, pages.DATA),
        titles=spec.SECTION_TITLES,
        section_titles=list(spec.SECTION_TITLES.items()),
        proactive_blocks=tables.proactive_blocks(record),
        request_rows=tables.request_rows(record),
        request_columns=[spec.REQUEST_COLUMN_LABELS[c] for c in spec.REQUEST_COLUMNS],
        appeal_groups=tables.appeal_groups(),
        appeal_fields=[spec.APPEAL_FIELD_LABELS[f] for f in spec.APPEAL_FIELDS],
        appeal_values=tables.appeal_values(record),
        findings=catalog.findings_of(rid),
        cell_anchor=cell_anchor,
        place=lambda where: place_name(where, layout),
        notes=parse_notes(record),
        corrected_cells={
            c.path.replace(".", "-"): {"original": c.original, "reason": c.reason}
            for c in record.corrections
        },
        null_cells=nulls,
        unread_cells=any(n.unread for n in nulls.values()),
        ocr=ocr,
        layout=layout,
        corrections=record.corrections,
        rejected_corrections=record.corrections_rejected,
        versions=record.previous_versions,
        edits=analyses.edit_items(record, cell_anchor, lambda where: place_name(where, layout)),
        cite=citation(record, base_url),
        rule_href={r: pages.href(page, pages.rule_page(r)) for r in rule_titles},
        rule_titles=rule_titles,
    )
    title = record.title or f"{name}{record.year}年政府信息公开工作年度报告"
    tags = [f"{record.year}年", f"{edition} 版格式" if edition else "格式未识别", name]
    return pages.page_text(body, title=title, tags=tags)


NULL_TIPS = {
    # the report printed something that is not a number: unreadable, marked apart
    "ocr-unconfirmed": (True, "OCR 未能确认这一格的数字，按未能读取处理，请对照原始文件"),
    "bad-number": (True, "报告填写的“{text}”不是数字，按未能读取处理"),
    "decimal-count": (True, "件数填写了小数“{text}”，按未能读取处理"),
    "ambiguous-row": (True, "这一行的数字无法确定各属哪一列，为免错列，整行按未能读取处理"),
    # nothing there to read
    "placeholder-cell": (False, "报告填写“{text}”，按未填写处理"),
    "missing-row": (False, "报告中没有这一行"),
    "missing-table": (False, "报告中没有这张表"),
    "truncated": (False, "报告文本在此之前中途结束"),
}
"""Why a null cell is null, from the parse warning at its cell, row or table (blank-cell and
cells without a warning keep the default 报告未填写)."""


def null_reasons(record: Record, anchors: frozenset[str]) -> dict[str, NullReason]:
    """Anchor -> why that cell is null, for the cells a parse warning names (its own key
    path, its row's or its table's). A row-level reason never reaches a whole table: an
    unlabelled row that is not used nulls no particular cell."""
    out: dict[str, NullReason] = {}
    for warning in record.parse.warnings:
        if warning.code not in NULL_TIPS or not warning.where:
            continue
        unread, tip = NULL_TIPS[warning.code]
        prefix = warning.where.replace(".", "-")
        if unread and "." not in warning.where:
            continue  # a table-level ambiguous row: its values were not used, no cell is null by it
        targets = (
            [prefix]
            if prefix in anchors
            else sorted(a for a in anchors if a.startswith(prefix + "-"))
        )
        reason = NullReason(tip.format(text=warning.text or ""), unread)
        for anchor in targets:
            out.setdefault(anchor, reason)
    return out


IDENTITY_RULES = ("T3-01", "T3-02", "T3-03", "T4-01")
"""The 勾稽 identities of tables 三 and 四: a second witness for values read by OCR."""


def ocr_note(
    record: Record,
    findings: Sequence[Finding],
    cell_anchor: Callable[[str | None], Markup | None],
) -> dict[str, Any] | None:
    """What the page says about a report read by OCR (None for one with text of its own):
    the cells OCR could not confirm, linked, and whether the identities hold."""
    ocr = record.source.ocr
    if ocr is None:
        return None
    unconfirmed = []
    for w in record.parse.warnings:
        if w.code == "ocr-unconfirmed":
            # "page 2: 表三 一、本年新收… / 总计 was read by OCR as …" -> "第 2 页 表三 …/ 总计"
            place = str(w.message or w.where or "").split(" was read by OCR")[0]
            place = re.sub(r"^page (\d+): ", r"第 \1 页 ", place)
            unconfirmed.append({"where": place, "anchor": cell_anchor(w.where)})
    identity = [f for f in findings if f.rule in IDENTITY_RULES]
    failed = sorted({f.rule for f in identity if f.status == "fail"})
    if failed:
        verdict = f"勾稽关系不成立（{'、'.join(failed)}，见合规检查）：" + (
            "OCR 确认的数值本身加总不符，问题更可能在报告本身，请对照原始扫描件。"
            if not unconfirmed
            else "可能是报告本身有误，也可能是 OCR 误读，请对照原始扫描件。"
        )
    elif any(f.status == "not-assessable" for f in identity):
        verdict = "可核对的勾稽关系全部成立；有空白或 OCR 未能确认的格，其余等式无法核对。"
    else:
        verdict = (
            f"勾稽关系全部成立（{'、'.join(IDENTITY_RULES)}）：OCR 读出的数值与报告自身的合计一致。"
        )
    scanned = next((w.text for w in record.parse.warnings if w.code == "ocr-pages"), None)
    return {
        "what": f"本报告第 {scanned} 页为扫描页，这些页的内容经 OCR 识别"
        if scanned
        else "本报告为扫描件，表格数值经 OCR 识别",
        "engine": f"{ocr.get('engine')} {ocr.get('version')}",
        "unconfirmed": unconfirmed,
        "verdict": verdict,
    }


def _agency_charts(catalog: Catalog, agency: Agency) -> dict[str, Any]:
    """Trend charts over the agency's years (missing years are gaps) and the edition note."""
    by_year = {r.report_year: r for r in agency.records}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []

    def column(get: figures.Getter) -> list[Any]:
        return [get(by_year[y]) if y in by_year else None for y in years]

    editions = [by_year[y].edition if y in by_year else None for y in years]
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
    compliance_rows = [
        {"year": y, "href": Markup(f"{y}.md"), "counts": catalog.counts_of(by_year[y].key)}
        for y in reversed(report_years)
    ]
    compliance_chart = Markup("")
    if len(report_years) > 1:
        compliance_chart = charts.bar_chart(
            [
                (level.label, [catalog.counts_of(by_year[y].key)[level] for y in report_years])
                for level in LEVELS
            ],
            report_years,
            f"{name}：各年度合规检查发现（按级别）",
        )
    elif report_years:
        year = report_years[0]
        counts = catalog.counts_of(by_year[year].key)
        compliance_chart = charts.bar_chart(
            [("发现条数", [counts[level] for level in LEVELS])],
            [level.label for level in LEVELS],
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


def agency_page_text(
    env: jinja2.Environment,
    catalog: Catalog,
    agency: Agency,
    ledgers: Sequence[YearLedger] | None = None,
) -> str:
    """The agency page. It depends on the agency's records and their findings only (its
    promise ledger is made from its records: generator/render/memo.py keys its cache on
    exactly these)."""
    if ledgers is None:
        ledgers = analyses.agency_ledgers(agency)
    figures_ = [(label, [fn(r) for r in agency.records]) for label, fn in figures.KEY_FIGURES]
    for level in LEVELS[:2]:
        figures_.append(
            (f"合规检查：{level.label}", [catalog.counts_of(r.key)[level] for r in agency.records])
        )
    page = pages.agency_page(agency.slug)
    body = env.get_template("agency.md.j2").render(
        agency=agency,
        figures=figures_,
        region=_region_text(agency.region),
        unknown_region=UNKNOWN_REGION,
        feed_href=pages.href(page, pages.agency_feed(agency.slug)),
        csv_href=pages.href(page, pages.download(pages.agency_csv(agency.slug))),
        ledgers=analyses.ledger_items(
            ledgers,
            {r.report_year: pages.href(page, pages.report_page(r.key)) for r in agency.records},
        ),
        promises_href=pages.href(page, pages.PROMISES),
        **_agency_charts(catalog, agency),
    )
    return pages.page_text(body, title=agency.name)
