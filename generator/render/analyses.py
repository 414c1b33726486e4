"""The analyses of issue 17 on the site: promises kept, silent edits, hierarchies that add up,
who has not published; each with its page, feed and download.

    analysis/index.md              what each analysis shows, with its feed and CSV
    analysis/promises.md           agencies whose section 五 problems come back year after year
    analysis/edits.md              every silent edit (a report file re-uploaded under its name)
    analysis/hierarchy.md          every impossible sum and broken carry-over chain
    analysis/timeliness/           who published, late, or not at all, per year (index + years)
    feeds/{promises,edits,hierarchy,timeliness}.xml, data/{promises,edits,hierarchy,
    timeliness}.csv

and, on the pages of the other kinds, the agency pages' promise ledger (承诺兑现), the report
pages' 文件修改记录 (from the record's `edits`) and the region pages' 汇总核对.

Everything is made from the corpus (records, their `edits`, first-seen dates, the agencies
list), never from the clock: the timeliness ledger is judged as of `Corpus.as_of`, the newest
date the reports themselves carry, and says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

import jinja2
from markupsafe import Markup

from generator.analysis import promises
from generator.analysis.common import KIND_LABELS, AgencyRef, Region
from generator.analysis.hierarchy import (
    MEASURES,
    Flag,
    PlaceYear,
    check_hierarchy,
    kind_label,
)
from generator.analysis.records import (
    agency_ref,
    hierarchy_report,
    iso_date,
    promise_report,
    published_report,
)
from generator.analysis.timeliness import (
    BASIS_DEPARTMENT,
    BASIS_GOVERNMENT,
    BASIS_TOWNSHIP,
    CSV_COLUMNS,
    LATE,
    STATUS_LABELS,
    Entry,
    Timeliness,
    csv_rows,
    feed_items,
    timeliness,
)
from generator.model import Record, SourceEdit
from generator.model.corpus import Corpus, HistoryState
from generator.render import downloads, feeds, pages
from generator.render.catalog import Agency, Catalog
from generator.render.output import ContentWriter

LIST_LIMIT: Final = 200
"""The most items one list on a corpus page shows (the CSVs have them all)."""

OUTCOME_LABELS: Final[dict[str, str]] = {
    "done": "已兑现",
    "repeated": "问题重复出现",
    "silent": "下一年未提及",
    "generic": "泛泛表述，不比对",
}
KIND_NAMES: Final[dict[str, str]] = {"problem": "问题", "commitment": "承诺"}
SECTION_NAMES: Final[dict[str, str]] = {"overview": "第一部分", "problems": "第五部分"}
SECTION_ANCHORS: Final[dict[str, str]] = {
    "overview": "section-overview",
    "problems": "section-problems",
}
HISTORY_TEXT: Final[dict[HistoryState, str]] = {
    "complete": "本次构建读取了 reports/ 的完整 git 历史：每个报告文件的每次内容变化都已列出。",
    "shallow": "本次构建的 git 历史不完整（浅克隆）：较早的版本可能缺失，最早日期只是上限。"
    "完整结果需要完整的版本历史。",
    "none": "本次构建没有 git 历史（不在 git 仓库中，或没有 git）：无法发现静默修改，"
    "本页不作任何判断。",
}


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def cn_stamp(stamp: str | None) -> str:
    """The day of a git timestamp, in Chinese; 尚未提交 for None."""
    return cn_date(iso_date(stamp)) if stamp else "尚未提交"


def atom_time(stamp: str | None) -> str:
    """An ISO date or timestamp as an Atom (RFC 3339) UTC time; the epoch for None."""
    if not stamp:
        return feeds.EPOCH
    if len(stamp) == 10:
        return f"{stamp}T00:00:00Z"
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- the analyses, once per build -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Analyses:
    as_of: date | None
    history: HistoryState
    ledgers: dict[str, tuple[promises.YearLedger, ...]]
    """Agency slug -> its promise ledger, oldest year first."""
    repeating: tuple[promises.RepeatingAgency, ...]
    slug_of: dict[AgencyRef, str]
    by_file: dict[str, Record]
    record_at: dict[tuple[AgencyRef, int], Record]
    groups: tuple[PlaceYear, ...]
    flags: tuple[Flag, ...]
    """HI-01 and HI-02 (sums) and HI-03 (carry-over chains, shown as T3-07)."""
    ledger: Timeliness
    edits: tuple[tuple[Record, SourceEdit, str], ...]
    """(record, earlier content, sha256 of the content that replaced it), newest first."""
    list_source: str | None


def agency_ledgers(agency: Agency) -> tuple[promises.YearLedger, ...]:
    """The promise ledger of one agency (its records under one name and place)."""
    ref = agency_ref(agency.latest)
    return promises.ledgers(
        dataclasses.replace(promise_report(r), agency=ref) for r in agency.records
    )


def build_analyses(
    catalog: Catalog,
    corpus: Corpus,
    known_ledgers: dict[str, tuple[promises.YearLedger, ...]] | None = None,
) -> Analyses:
    """Every analysis of the catalog's records (known_ledgers: the agency pages' promise
    ledgers already made, by slug)."""
    records = catalog.records
    known_ledgers = known_ledgers or {}
    slug_of: dict[AgencyRef, str] = {}
    for agency in catalog.agencies:
        for record in agency.records:
            slug_of.setdefault(agency_ref(record), agency.slug)
    ledgers = {
        agency.slug: known_ledgers.get(agency.slug) or agency_ledgers(agency)
        for agency in catalog.agencies
    }
    all_ledgers = [ledger for slug in sorted(ledgers) for ledger in ledgers[slug]]
    reports = [hierarchy_report(r) for r in records]
    groups, flags = check_hierarchy(reports)
    as_of = iso_date(corpus.as_of)
    ledger = timeliness(
        [published_report(r, corpus.first_seen.get(r.key)) for r in records],
        corpus.agencies,
        today=as_of,
    )
    edits: list[tuple[Record, SourceEdit, str]] = []
    for record in records:
        newer = record.source.sha256 or ""
        for edit in record.edits:  # most recent first
            edits.append((record, edit, newer))
            newer = edit.sha256
    edits.sort(key=lambda e: (e[0].key, e[1].first_seen))
    edits.sort(key=lambda e: atom_time(e[1].replaced) if e[1].replaced else "9", reverse=True)
    return Analyses(
        as_of=as_of,
        history=corpus.history,
        ledgers=ledgers,
        repeating=promises.repeating_agencies(all_ledgers),
        slug_of=slug_of,
        by_file={r.source.file: r for r in records},
        record_at={(agency_ref(r), r.report_year): r for r in records},
        groups=groups,
        flags=flags,
        ledger=ledger,
        edits=tuple(edits),
        list_source=corpus.agencies.source if corpus.agencies else None,
    )


# ---- promise ledgers (agency pages and the corpus page) ------------------------------------


def _evidence_item(
    evidence: promises.Evidence, next_href: Markup | None, next_year: int | None
) -> dict[str, Any]:
    section = evidence.section
    return {
        "sentence": evidence.sentence,
        "item_sentence": evidence.item_sentence,
        "where": f"{next_year}年报告{SECTION_NAMES[section]}",
        "href": Markup(f"{next_href}#{SECTION_ANCHORS[section]}") if next_href else None,
        "marker": evidence.marker,
    }


def ledger_items(
    ledgers: Sequence[promises.YearLedger], href_of: dict[int, Markup]
) -> list[dict[str, Any]]:
    """The agency page's 承诺兑现: one block per report year, newest first. `href_of` links a
    report year to its page (from the agency page: 2021.md)."""
    blocks = []
    for ledger in reversed(ledgers):
        next_href = href_of.get(ledger.next_year) if ledger.next_year is not None else None
        items = []
        for number, promise in enumerate(ledger.promises, start=1):
            items.append(
                {
                    "number": number,
                    "kind": KIND_NAMES[promise.item.kind],
                    "sentence": promise.item.sentence,
                    "outcome": promise.outcome,
                    "label": OUTCOME_LABELS[promise.outcome]
                    if ledger.compared or promise.outcome == "generic"
                    else "待下一年度报告比对",
                    "evidence": [
                        _evidence_item(e, next_href, ledger.next_year) for e in promise.evidence
                    ],
                }
            )
        blocks.append(
            {
                "year": ledger.year,
                "next_year": ledger.next_year,
                "href": Markup(f"{href_of[ledger.year]}#section-problems"),
                "next_href": next_href,
                "compared": ledger.compared,
                "counts": {o: ledger.count(o) for o in OUTCOME_LABELS},  # type: ignore[arg-type]
                "promises": items,
            }
        )
    return blocks


def _report_href(from_page: str, record: Record | None, anchor: str = "") -> Markup | None:
    if record is None:
        return None
    return Markup(pages.href(from_page, pages.report_page(record.key)) + anchor)


def _record_of(analyses: Analyses, file: str | None) -> Record | None:
    return analyses.by_file.get(file) if file else None


def render_promises(
    env: jinja2.Environment, writer: ContentWriter, catalog: Catalog, analyses: Analyses
) -> None:
    page = pages.PROMISES
    names = {a.slug: a.name for a in catalog.agencies}
    repeating = []
    for agency in analyses.repeating[:LIST_LIMIT]:
        slug = analyses.slug_of.get(agency.agency)
        reps = []
        for rep in agency.repetitions:
            first = _record_of(analyses, rep.evidence.file)
            before = analyses.record_at.get((agency.agency, rep.year))
            reps.append(
                {
                    "year": rep.year,
                    "kind": KIND_NAMES[rep.item.kind],
                    "before": rep.evidence.item_sentence,
                    "after": rep.evidence.sentence,
                    "before_href": _report_href(page, before, "#section-problems"),
                    "after_href": _report_href(page, first, "#section-problems"),
                }
            )
        repeating.append(
            {
                "name": names.get(slug or "", agency.agency.name),
                "href": pages.href(page, pages.agency_page(slug)) + "#promises" if slug else None,
                "years": [f"{y}→{y + 1}" for y in agency.years],
                "run": agency.longest_run,
                "repetitions": reps,
            }
        )
    compared = []
    for slug in sorted(analyses.ledgers, key=lambda s: (names.get(s, s), s)):
        for ledger in analyses.ledgers[slug]:
            if not ledger.compared:
                continue
            compared.append(
                {
                    "name": names.get(slug, slug),
                    "href": pages.href(page, pages.agency_page(slug)) + f"#promises-{ledger.year}",
                    "year": ledger.year,
                    "next_year": ledger.next_year,
                    "counts": {o: ledger.count(o) for o in OUTCOME_LABELS},  # type: ignore[arg-type]
                    "count": len(ledger.promises),
                }
            )
    body = env.get_template("promises.md.j2").render(
        repeating=repeating,
        repeating_total=len(analyses.repeating),
        compared=compared[:LIST_LIMIT],
        compared_total=len(compared),
        limit=LIST_LIMIT,
        thresholds={
            "repeat": promises.REPEAT_THRESHOLD,
            "done": promises.DONE_THRESHOLD,
        },
        feed_href=pages.href(page, pages.PROMISES_FEED),
        csv_href=pages.href(page, pages.download(pages.PROMISES_CSV)),
        analyses_href=pages.href(page, pages.ANALYSES),
    )
    writer.add(page, pages.page_text(body, title="承诺兑现"))


PROMISE_COLUMNS: Final = (
    "id",
    "agency",
    "region",
    "year",
    "next_id",
    "next_year",
    "item",
    "kind",
    "marker",
    "sentence",
    "outcome",
    "outcome_label",
    "evidence_section",
    "evidence_sentence",
    "evidence_item_sentence",
    "evidence_score",
)


def _promise_rows(catalog: Catalog, analyses: Analyses) -> Iterable[list[Any]]:
    for agency in catalog.agencies:
        by_year = {r.report_year: r for r in agency.records}
        for ledger in analyses.ledgers[agency.slug]:
            record, following = by_year[ledger.year], by_year.get(ledger.next_year or -1)
            for number, promise in enumerate(ledger.promises, start=1):
                best = promise.evidence[0] if promise.evidence else None
                yield [
                    record.key,
                    agency.name,
                    ledger.agency.region.path,
                    ledger.year,
                    following.key if following else "",
                    ledger.next_year or "",
                    number,
                    promise.item.kind,
                    promise.item.marker,
                    promise.item.sentence,
                    promise.outcome if ledger.compared or promise.outcome == "generic" else "",
                    OUTCOME_LABELS[promise.outcome]
                    if ledger.compared or promise.outcome == "generic"
                    else "待比对",
                    best.section if best else "",
                    best.sentence if best else "",
                    best.item_sentence if best else "",
                    best.score if best else "",
                ]


def _promise_entries(catalog: Catalog, analyses: Analyses, feed: str) -> list[dict[str, str]]:
    entries = []
    for agency in catalog.agencies:
        by_year = {r.report_year: r for r in agency.records}
        for ledger in analyses.ledgers[agency.slug]:
            following = by_year.get(ledger.next_year or -1)
            if not ledger.compared or following is None or not ledger.promises:
                continue
            counts = {o: ledger.count(o) for o in OUTCOME_LABELS}  # type: ignore[arg-type]
            entries.append(
                {
                    "id": f"urn:nianbao:promises:{agency.slug}:{ledger.year}",
                    "title": f"{agency.name}：{ledger.year}年报告的问题与承诺在"
                    f"{ledger.next_year}年报告中",
                    "updated": feeds.record_updated(following),
                    "href": feeds.page_url(
                        feed, pages.agency_page(agency.slug), f"#promises-{ledger.year}"
                    ),
                    "summary": f"已兑现 {counts['done']} 项，问题重复出现 {counts['repeated']} 项，"
                    f"下一年未提及 {counts['silent']} 项，泛泛表述 {counts['generic']} 项（不比对）。",
                }
            )
    return feeds.newest(entries)


# ---- silent edits ----------------------------------------------------------------------------


def edit_items(record: Record, cell_anchor: Any, place: Any) -> list[dict[str, Any]]:
    """The report page's 文件修改记录: each earlier content, most recent first."""
    items = []
    newer = record.source.sha256 or ""
    for edit in record.edits:
        items.append(
            {
                "replaced": cn_stamp(edit.replaced),
                "first_seen": cn_stamp(edit.first_seen),
                "file": edit.file,
                "renamed": edit.file != record.source.file,
                "sha256": edit.sha256,
                "newer": newer,
                "readable": edit.readable,
                "changes": [
                    {
                        "place": place(c.where),
                        "anchor": cell_anchor(c.where),
                        "old": c.old,
                        "new": c.new,
                    }
                    for c in edit.table_changes
                ],
                "text_diff": edit.text_diff,
            }
        )
        newer = edit.sha256
    return items


def render_edits(env: jinja2.Environment, writer: ContentWriter, analyses: Analyses) -> None:
    page = pages.EDITS
    items = [
        {
            "name": record.agency_name,
            "year": record.year,
            "href": Markup(pages.href(page, pages.report_page(record.key)) + "#edits"),
            "replaced": cn_stamp(edit.replaced),
            "first_seen": cn_stamp(edit.first_seen),
            "file": edit.file,
            "cells": len(edit.table_changes),
            "text": bool(edit.text_diff),
            "readable": edit.readable,
        }
        for record, edit, _newer in analyses.edits[:LIST_LIMIT]
    ]
    body = env.get_template("edits.md.j2").render(
        items=items,
        total=len(analyses.edits),
        limit=LIST_LIMIT,
        history=HISTORY_TEXT[analyses.history],
        feed_href=pages.href(page, pages.EDITS_FEED),
        csv_href=pages.href(page, pages.EDITS_CSV),
    )
    writer.add(page, pages.page_text(body, title="静默修改"))


EDIT_COLUMNS: Final = (
    "id",
    "agency",
    "year",
    "file",
    "sha256",
    "first_seen",
    "replaced",
    "replaced_by_sha256",
    "readable",
    "changed_cells",
    "text_changed",
)


def _edit_rows(analyses: Analyses) -> Iterable[list[Any]]:
    for record, edit, newer in analyses.edits:
        yield [
            record.key,
            record.agency_name,
            record.year,
            edit.file,
            edit.sha256,
            edit.first_seen,
            edit.replaced or "",
            newer,
            int(edit.readable),
            len(edit.table_changes),
            int(bool(edit.text_diff)),
        ]


def _edit_entries(analyses: Analyses, feed: str) -> list[dict[str, str]]:
    entries = []
    for record, edit, newer in analyses.edits:
        cells = f"{len(edit.table_changes)} 个表格单元格" if edit.table_changes else "表格未变"
        text = "，正文有改动" if edit.text_diff else ""
        entries.append(
            {
                "id": f"urn:nianbao:edit:{record.key}:{edit.sha256}",
                "title": f"{record.agency_name}{record.year}年报告的文件被替换"
                f"（{cn_stamp(edit.replaced)}）",
                "updated": atom_time(edit.replaced or edit.first_seen),
                "href": feeds.page_url(feed, pages.report_page(record.key), "#edits"),
                "summary": f"{edit.file}：首次收录于{cn_stamp(edit.first_seen)}的内容"
                f"（SHA-256 {edit.sha256[:12]}…）在{cn_stamp(edit.replaced)}被替换为新内容"
                f"（SHA-256 {newer[:12]}…）：{cells}{text}。",
            }
        )
    return feeds.newest(entries)


# ---- hierarchies -----------------------------------------------------------------------------

MEASURE_LABELS: Final = (
    "行政复议",
    "行政诉讼·未经复议直接起诉",
    "行政诉讼·复议后起诉",
    "本年新收申请",
)
RULE_OF_FLAG: Final = {"HI-01": "HI-01", "HI-02": "HI-02", "HI-03": "T3-07"}
"""The catalogue rule a flag is shown under (HI-03 is T3-07's arithmetic)."""


def region_names(place: Region) -> tuple[str, ...]:
    """The region tree's names of a place: its known levels from the province down."""
    names: list[str] = []
    for level in place.levels():
        if not level:
            break
        names.append(level)
    return tuple(names)


def place_node_names(place: Region, known: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The region page a place's 汇总核对 goes on: its own, else its nearest ancestor's."""
    names = region_names(place)
    while names and names not in known:
        names = names[:-1]
    return names or None


def _cell_link(
    from_page: str, record: Record | None, where: str, value: int | None
) -> dict[str, Any]:
    href = None
    if record is not None and value is not None:
        href = Markup(
            pages.href(from_page, pages.report_page(record.key)) + "#" + where.replace(".", "-")
        )
    return {"value": value, "href": href}


def _member_row(from_page: str, analyses: Analyses, report: Any) -> dict[str, Any]:
    record = analyses.by_file.get(report.file)
    return {
        "name": report.agency.name,
        "kind": kind_label(report),
        "href": _report_href(from_page, record),
        "cells": [
            _cell_link(from_page, record, where, getattr(report, attribute))
            for attribute, where, _label, _topic in MEASURES
        ],
    }


def _flag_item(from_page: str, analyses: Analyses, flag: Flag, rule_href: Any) -> dict[str, Any]:
    rule = RULE_OF_FLAG[flag.rule]
    cells = []
    for cell in flag.cells:
        record = analyses.by_file.get(cell.file)
        link = _cell_link(from_page, record, cell.where, cell.value)
        cells.append(
            {
                "name": cell.agency.name,
                "year": cell.year,
                "label": cell.label,
                **link,
            }
        )
    return {
        "rule": rule,
        "rule_href": rule_href(rule),
        "message": flag.message,
        "year": flag.year,
        "cells": cells,
        "claim": flag.claim.sentence if flag.claim else None,
    }


@dataclass(frozen=True, slots=True)
class RegionChecks:
    """What one region page's 汇总核对 shows: its places' years side by side and the
    carry-over chains that break at its agencies."""

    groups: list[PlaceYear]
    chains: list[Flag]
    sums: dict[tuple[Region, int], list[Flag]] = field(default_factory=dict)
    """The HI-01/HI-02 flags of its places, by place and year."""


def by_region(
    analyses: Analyses, known: set[tuple[str, ...]]
) -> dict[tuple[str, ...], RegionChecks]:
    """The places, sum flags and chains of each region page (by its names), in one pass."""
    found: dict[tuple[str, ...], RegionChecks] = {}
    for group in analyses.groups:
        names = place_node_names(group.place, known)
        if names:
            found.setdefault(names, RegionChecks([], [])).groups.append(group)
    for flag in analyses.flags:
        names = place_node_names(flag.place, known)
        if names and flag.rule == "HI-03":
            found.setdefault(names, RegionChecks([], [])).chains.append(flag)
        elif names in found:  # a sum flag is about a place shown side by side there
            found[names].sums.setdefault((flag.place, flag.year), []).append(flag)
    return found


def hierarchy_sections(
    from_page: str, checks: RegionChecks | None, analyses: Analyses
) -> dict[str, Any] | None:
    """The region page's 汇总核对: each place and year whose page this is, newest first."""
    if checks is None:
        return None

    def rule_href(rule: str) -> Markup:
        return pages.href(from_page, pages.rule_page(rule))

    sections: list[dict[str, Any]] = []
    for group in checks.groups:
        rows = []
        if group.government is not None:
            rows.append(_member_row(from_page, analyses, group.government))
        rows += [_member_row(from_page, analyses, r) for r in group.members]
        sections.append(
            {
                "place": group.place.path,
                "year": group.year,
                "government": group.government is not None,
                "rows": rows,
                "sums": [
                    {
                        "value": m.members_sum if m.counted else None,
                        "blank": [a.name for a in m.blank],
                    }
                    for m in group.sums
                ],
                "flags": [
                    _flag_item(from_page, analyses, f, rule_href)
                    for f in checks.sums.get((group.place, group.year), ())
                ],
            }
        )
    sections.sort(key=lambda s: (-s["year"], s["place"]))
    chains = [_flag_item(from_page, analyses, f, rule_href) for f in checks.chains]
    return {
        "sections": sections,
        "chains": chains,
        "rule_hrefs": {r: rule_href(r) for r in ("HI-01", "HI-02", "T3-07")},
        "measures": MEASURE_LABELS,
    }


def render_hierarchy(
    env: jinja2.Environment,
    writer: ContentWriter,
    analyses: Analyses,
    region_path: dict[tuple[str, ...], str],
) -> None:
    page = pages.HIERARCHY
    known = set(region_path)
    items = []
    for flag in analyses.flags[:LIST_LIMIT]:
        item = _flag_item(page, analyses, flag, lambda r: pages.href(page, pages.rule_page(r)))
        names = place_node_names(flag.place, known)
        item["place"] = flag.place.path or "地区未知"
        item["region_href"] = (
            Markup(pages.href(page, region_path[names]) + "#hierarchy") if names else None
        )
        items.append(item)
    body = env.get_template("hierarchy.md.j2").render(
        items=items,
        total=len(analyses.flags),
        places=len({(g.place, g.year) for g in analyses.groups}),
        limit=LIST_LIMIT,
        feed_href=pages.href(page, pages.HIERARCHY_FEED),
        csv_href=pages.href(page, pages.download(pages.HIERARCHY_CSV)),
        rule_hrefs={r: pages.href(page, pages.rule_page(r)) for r in ("HI-01", "HI-02", "T3-07")},
    )
    writer.add(page, pages.page_text(body, title="地区汇总核对"))


HIERARCHY_COLUMNS: Final = (
    "rule",
    "place",
    "year",
    "agency",
    "message",
    "cell_agency",
    "cell_id",
    "cell_year",
    "cell_where",
    "cell_label",
    "value",
)


def _hierarchy_rows(analyses: Analyses) -> Iterable[list[Any]]:
    for flag in analyses.flags:
        for cell in flag.cells:
            record = analyses.by_file.get(cell.file)
            yield [
                RULE_OF_FLAG[flag.rule],
                flag.place.path,
                flag.year,
                flag.agency.name,
                flag.message,
                cell.agency.name,
                record.key if record else "",
                cell.year,
                cell.where,
                cell.label,
                cell.value,
            ]


def _hierarchy_entries(
    analyses: Analyses, feed: str, region_path: dict[tuple[str, ...], str]
) -> list[dict[str, str]]:
    known = set(region_path)
    entries = []
    for index, flag in enumerate(analyses.flags):
        record = analyses.by_file.get(flag.cells[0].file) if flag.cells else None
        names = place_node_names(flag.place, known)
        target = region_path[names] if names else pages.HIERARCHY
        rule = RULE_OF_FLAG[flag.rule]
        entries.append(
            {
                "id": f"urn:nianbao:hierarchy:{rule}:{flag.place.path}:{flag.year}:"
                f"{flag.agency.name}:{index}",
                "title": f"{flag.agency.name}{flag.year}年：{rule} 数字不能同时成立",
                "updated": feeds.record_updated(record)
                if record
                else f"{flag.year + 1}-12-31T00:00:00Z",
                "href": feeds.page_url(feed, target, "#hierarchy"),
                "summary": flag.message,
            }
        )
    return feeds.newest(entries)


# ---- timeliness ------------------------------------------------------------------------------

STATUS_ORDER: Final = (
    "on_time",
    "late",
    "seen_late",
    "no_deadline",
    "undated",
    "missing",
    "not_due",
)


def _entry_item(
    from_page: str, analyses: Analyses, entry: Entry, expected_from: str
) -> dict[str, Any]:
    slug = analyses.slug_of.get(entry.agency)
    record = _record_of(analyses, entry.file)
    return {
        "name": entry.agency.name,
        "region": entry.agency.region.path,
        "agency_href": pages.href(from_page, pages.agency_page(slug)) if slug else None,
        "href": _report_href(from_page, record),
        "kind": KIND_LABELS[entry.kind],
        "deadline": cn_date(entry.deadline) if entry.deadline else "无法定期限",
        "date": cn_date(entry.date) if entry.date else "—",
        "date_source": {"signed": "落款", "first_seen": "首次收录"}.get(
            entry.date_source or "", ""
        ),
        "status": entry.status,
        "label": STATUS_LABELS[entry.status],
        "message": entry.message,
        "expected": {"list": "名单", "inferred": "上一年发布过"}.get(
            entry.expected or "", "名单外"
        ),
    }


def _as_of_text(analyses: Analyses) -> str:
    if analyses.as_of is None:
        return (
            "本门户收录的报告没有可用日期，无法判断哪些报告尚未到期：下表把缺少的报告都列为未发布。"
        )
    return (
        f"截至{cn_date(analyses.as_of)}：这是本门户收录的报告所能确定的最新日期（报告文件最近一次"
        "提交、报告落款，或最新报告年度的次年1月1日中最晚的一个），不是生成网页的日期；"
        "页面只随报告变化，不会每天改变。"
    )


def render_timeliness(env: jinja2.Environment, writer: ContentWriter, analyses: Analyses) -> None:
    result = analyses.ledger
    index = pages.TIMELINESS
    years = []
    for year_ledger in reversed(result.years):
        counts = {s: len(year_ledger.with_status(s)) for s in STATUS_ORDER}
        years.append(
            {
                "year": year_ledger.year,
                "href": pages.href(index, pages.timeliness_page(year_ledger.year)),
                "counts": counts,
                "published": len(year_ledger.published),
            }
        )
    common = {
        "as_of": _as_of_text(analyses),
        "expected_from": result.expected_from,
        "list_source": analyses.list_source,
        "bases": [
            ("县级以上人民政府部门（含政府办公室）", "次年1月31日", BASIS_DEPARTMENT),
            ("县级以上人民政府本级", "次年3月31日", BASIS_GOVERNMENT),
            ("乡镇、街道", "无法定期限", BASIS_TOWNSHIP),
        ],
    }
    body = env.get_template("timeliness.md.j2").render(
        years=years,
        labels=[(s, STATUS_LABELS[s]) for s in STATUS_ORDER],
        problems=[p.message for p in result.problems],
        feed_href=pages.href(index, pages.TIMELINESS_FEED),
        csv_href=pages.href(index, pages.TIMELINESS_CSV),
        **common,
    )
    writer.add(index, pages.page_text(body, title="按时发布"))
    for year_ledger in result.years:
        page = pages.timeliness_page(year_ledger.year)
        groups = []
        for status in (
            "missing",
            "late",
            "seen_late",
            "undated",
            "not_due",
            "on_time",
            "no_deadline",
        ):
            entries = year_ledger.with_status(status)
            if entries:
                groups.append(
                    {
                        "status": status,
                        "label": STATUS_LABELS[status],
                        "entries": [
                            _entry_item(page, analyses, e, result.expected_from) for e in entries
                        ],
                    }
                )
        body = env.get_template("timeliness_year.md.j2").render(
            year=year_ledger.year,
            groups=groups,
            unlisted=len(year_ledger.unlisted) if result.expected_from == "list" else 0,
            index_href=pages.href(page, index),
            feed_href=pages.href(page, pages.TIMELINESS_FEED),
            csv_href=pages.href(page, pages.TIMELINESS_CSV),
            **common,
        )
        writer.add(page, pages.page_text(body, title=f"{year_ledger.year}年年报发布情况"))


def _timeliness_entries(analyses: Analyses, feed: str) -> list[dict[str, str]]:
    entries = []
    for item in feed_items(analyses.ledger):
        entry = item.entry
        record = _record_of(analyses, entry.file)
        target = pages.report_page(record.key) if record else pages.timeliness_page(entry.year)
        entries.append(
            {
                "id": f"urn:nianbao:timeliness:{item.id}",
                "title": item.title,
                "updated": f"{item.date.isoformat()}T00:00:00Z",
                "href": feeds.page_url(feed, target),
                "summary": entry.message,
            }
        )
    return feeds.newest(entries)


def _timeliness_rows(analyses: Analyses) -> Iterable[list[Any]]:
    for row in csv_rows(analyses.ledger):
        if row["status"] in ("missing", *LATE):
            yield [row[c] for c in CSV_COLUMNS]


# ---- the overview page, the feeds and the downloads -----------------------------------------

CSV_DOCS: Final[tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]] = (
    (
        "promises",
        "promises.csv：承诺兑现",
        (
            ("id", "报告编号（问题或承诺所在的报告）"),
            ("agency", "机关名称"),
            ("region", "地区"),
            ("year", "报告年度"),
            ("next_id", "比对的下一年度报告编号（空：尚无）"),
            ("next_year", "下一年度"),
            ("item", "第五部分中的序号"),
            ("kind", "`problem`（问题）或 `commitment`（承诺）"),
            ("marker", "引出本项的词（一是、（二）、下一步……）"),
            ("sentence", "本项原文"),
            (
                "outcome",
                "`done`（已兑现）、`repeated`（问题重复出现）、`silent`（下一年未提及）、`generic`（泛泛表述，不比对）；空：尚未比对",
            ),
            ("outcome_label", "结果（中文）"),
            ("evidence_section", "依据所在部分：`overview`（第一部分）或 `problems`（第五部分）"),
            ("evidence_sentence", "下一年报告中的依据原文"),
            ("evidence_item_sentence", "本项中与依据相对应的一句"),
            ("evidence_score", "相似度（重复为余弦，兑现为包含度）"),
        ),
    ),
    (
        "edits",
        "edits.csv：静默修改",
        (
            ("id", "报告编号"),
            ("agency", "机关名称"),
            ("year", "报告年度"),
            ("file", "当时的文件名"),
            ("sha256", "被替换的内容的 SHA-256"),
            ("first_seen", "该内容首次提交的时间（git，含时区）"),
            ("replaced", "被替换的时间（空：替换后的内容尚未提交）"),
            ("replaced_by_sha256", "替换后内容的 SHA-256"),
            ("readable", "1：原内容可读；0：无法读回，没有差异"),
            ("changed_cells", "变化的统计表格单元格数"),
            ("text_changed", "1：正文有改动"),
        ),
    ),
    (
        "hierarchy",
        "hierarchy.csv：地区汇总核对",
        (
            ("rule", "规则编号（HI-01、HI-02、T3-07）"),
            ("place", "地区"),
            ("year", "年度"),
            ("agency", "所涉报告的机关（全域数所在的政府本级，或结转不衔接的机关）"),
            ("message", "说明"),
            ("cell_agency", "比对的单元格所在报告的机关"),
            ("cell_id", "该报告的编号"),
            ("cell_year", "该报告的年度"),
            ("cell_where", "单元格的键路径（报告页面锚点把“.”换成“-”）"),
            ("cell_label", "单元格名称（照官方格式）"),
            ("value", "数值"),
        ),
    ),
    (
        "timeliness",
        "timeliness.csv：未发布和逾期发布",
        (
            ("year", "报告年度"),
            ("region", "地区"),
            ("agency", "机关名称"),
            ("kind", "`government`、`office`、`department` 或 `township`"),
            ("level", "名单中的层级（无名单时为空）"),
            ("status", "`missing`（未发布）、`late`（逾期发布）或 `seen_late`（首次收录晚于期限）"),
            ("status_label", "状态（中文）"),
            ("deadline", "法定期限（乡镇、街道为空）"),
            ("date", "判断所用的日期"),
            ("date_source", "`signed`（落款）或 `first_seen`（首次收录）"),
            ("days_late", "晚于期限的天数"),
            ("file", "报告文件（未发布时为空）"),
            ("expected", "`list`（名单）或 `inferred`（上一年发布过）"),
            ("message", "说明"),
        ),
    ),
)
"""The analyses' downloads and their columns, as the data page documents them."""


def render_index(env: jinja2.Environment, writer: ContentWriter, analyses: Analyses) -> None:
    page = pages.ANALYSES
    missing = sum(len(y.missing) for y in analyses.ledger.years)
    late = sum(len(y.late) for y in analyses.ledger.years)
    body = env.get_template("analyses.md.j2").render(
        links={
            key: pages.href(page, target)
            for key, target in {
                "promises": pages.PROMISES,
                "edits": pages.EDITS,
                "hierarchy": pages.HIERARCHY,
                "timeliness": pages.TIMELINESS,
                "promises_feed": pages.PROMISES_FEED,
                "edits_feed": pages.EDITS_FEED,
                "hierarchy_feed": pages.HIERARCHY_FEED,
                "timeliness_feed": pages.TIMELINESS_FEED,
                "promises_csv": pages.download(pages.PROMISES_CSV),
                "edits_csv": pages.EDITS_CSV,
                "hierarchy_csv": pages.download(pages.HIERARCHY_CSV),
                "timeliness_csv": pages.TIMELINESS_CSV,
            }.items()
        },
        repeating=len(analyses.repeating),
        edits=len(analyses.edits),
        flags=len(analyses.flags),
        missing=missing,
        late=late,
        history=HISTORY_TEXT[analyses.history],
        as_of=_as_of_text(analyses),
    )
    writer.add(page, pages.page_text(body, title="分析"))


def render_analyses(
    env: jinja2.Environment,
    writer: ContentWriter,
    catalog: Catalog,
    analyses: Analyses,
    region_path: dict[tuple[str, ...], str],
) -> None:
    """The corpus pages, the feeds and the downloads of the four analyses."""
    render_index(env, writer, analyses)
    render_promises(env, writer, catalog, analyses)
    render_edits(env, writer, analyses)
    render_hierarchy(env, writer, analyses, region_path)
    render_timeliness(env, writer, analyses)
    feed_env = feeds.make_feed_environment()
    for feed, feed_id, title, entries in (
        (
            pages.PROMISES_FEED,
            "urn:nianbao:feed:promises",
            "政府信息公开工作年度报告：承诺兑现",
            _promise_entries(catalog, analyses, pages.PROMISES_FEED),
        ),
        (
            pages.EDITS_FEED,
            "urn:nianbao:feed:edits",
            "政府信息公开工作年度报告：静默修改",
            _edit_entries(analyses, pages.EDITS_FEED),
        ),
        (
            pages.HIERARCHY_FEED,
            "urn:nianbao:feed:hierarchy",
            "政府信息公开工作年度报告：地区汇总核对",
            _hierarchy_entries(analyses, pages.HIERARCHY_FEED, region_path),
        ),
        (
            pages.TIMELINESS_FEED,
            "urn:nianbao:feed:timeliness",
            "政府信息公开工作年度报告：未发布和逾期发布",
            _timeliness_entries(analyses, pages.TIMELINESS_FEED),
        ),
    ):
        writer.add(feed, feeds.feed_text(feed_env, feed, feed_id, title, entries, pages.ANALYSES))
    writer.add(
        pages.PROMISES_CSV, downloads.csv_table(PROMISE_COLUMNS, _promise_rows(catalog, analyses))
    )
    writer.add(pages.EDITS_CSV, downloads.csv_table(EDIT_COLUMNS, _edit_rows(analyses)))
    writer.add(
        pages.HIERARCHY_CSV, downloads.csv_table(HIERARCHY_COLUMNS, _hierarchy_rows(analyses))
    )
    writer.add(pages.TIMELINESS_CSV, downloads.csv_table(CSV_COLUMNS, _timeliness_rows(analyses)))


__all__ = [
    "Analyses",
    "agency_ledgers",
    "build_analyses",
    "by_region",
    "edit_items",
    "hierarchy_sections",
    "ledger_items",
    "render_analyses",
]
