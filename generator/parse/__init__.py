"""Parse: Document -> Record (the public contract, ../shared/spec/record.md).

    parse_document(doc)   locate sections and tables, read every cell, gather the facts

Everything here works on the Document model: no file format is known past ingest (the
pipeline reads the file, generator.ingest.read_document, then parses it). The internals
(facts, proactive, requests, appeals, sections, tables) return their results in the
published shapes; `_to_record` assembles the typed Record from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypedDict

from generator.document import Document, Paragraph, Table
from generator.model import (
    Agency,
    AppealsTable,
    Contact,
    Edition,
    Fingerprint,
    ParseInfo,
    ParseWarning,
    Period,
    ProactiveTable,
    Record,
    Region,
    RequestsTable,
    SectionHeading,
    Sections,
    Source,
    Value,
)
from generator.model.identity import record_id
from generator.parse import agency, facts
from generator.parse.appeals import read_appeals
from generator.parse.facts import ContactFields, PeriodFields
from generator.parse.identity import RegionFields, region_from_path
from generator.parse.normalize import looks_traditional, norm, to_simplified
from generator.parse.numbers import OCR_MIN_CONFIDENCE
from generator.parse.proactive import complete_rows as complete_proactive
from generator.parse.proactive import read_proactive
from generator.parse.requests import RequestsTable as RequestsRows
from generator.parse.requests import complete_rows as complete_requests
from generator.parse.requests import read_requests
from generator.parse.rows import Row
from generator.parse.sections import (
    Heading,
    find_headings,
    section_markdown,
    split_run_in_titles,
    split_sections,
)
from generator.parse.tables import classify_rows
from generator.parse.warnings import warning
from generator.record import SECTION_KEYS

PARSER_VERSION = "2.0"
"""Bump when a change can alter any record: it invalidates cached parses."""

TABLE_SECTIONS = ("proactive", "requests", "appeals")


def parse_document(doc: Document) -> Record:
    warnings: list[ParseWarning] = list(doc.warnings)
    doc = split_run_in_titles(doc)
    matching = _simplified(doc, warnings)
    texts = [norm(b.text) if isinstance(b, Paragraph) else None for b in matching.blocks]

    headings = find_headings(matching.blocks, texts)
    signature_used, signer, signed_on, signed_line = facts.split_signature(
        _trailing_paragraphs(matching)
    )
    end = len(doc.blocks) - signature_used
    section_at = _section_of_each_block(len(doc.blocks), headings)
    rows, table_paragraphs = classify_rows(matching.blocks, section_at)

    proactive = read_proactive(rows["proactive"])
    requests = read_requests(rows["requests"])
    appeals = read_appeals(rows["appeals"])
    edition, fingerprint = _edition(proactive.fingerprint, requests, warnings)
    proactive_record = complete_proactive(proactive, edition)
    if rows["requests"]:
        complete_requests(requests, edition)
        requests_record = requests.rows
    else:
        requests_record = None
        warnings.append(
            warning(
                "missing-table",
                None,
                "requests",
                "table 三 (收到和处理政府信息公开申请情况) not found",
            )
        )
    if proactive_record is None:
        warnings.append(
            warning("missing-table", None, "proactive", "table 二 (主动公开政府信息情况) not found")
        )
    warnings += [*proactive.warnings, *requests.warnings, *appeals.warnings]
    _note_truncation(doc, rows, warnings)

    preamble, by_section = split_sections(doc.blocks, headings, end, skip=table_paragraphs)
    sections = _sections(by_section, rows, warnings)
    title_positions = _title_positions(matching)
    title = _title_text(doc, title_positions)
    all_text = [b.text for b in matching.blocks if isinstance(b, Paragraph)]
    agency = _agency(doc, matching, title_positions, signer, headings, warnings)
    period = facts.find_period([p.text for p in preamble] + all_text)
    year = _year(title, period, matching, doc.path, warnings)
    contact = facts.find_contact(
        [p.text for p in preamble] + [sections.get("other") or ""] + all_text
    )

    return _to_record(
        doc,
        agency=agency,
        year=year,
        edition=edition,
        title=title,
        signed_on=signed_on,
        signed_line=signed_line,
        period=period,
        contact=contact,
        sections=sections,
        proactive=proactive_record,
        requests=requests_record,
        appeals=appeals.groups,
        headings=headings,
        fingerprint=fingerprint,
        warnings=warnings,
    )


class AgencyFields(TypedDict):
    """Who the report is by, as _agency finds it (model.Agency is made from it)."""

    name: str | None
    region: RegionFields | None
    name_source: str | None
    """Where the name was found (title, signature, text, …, file, folder); None without one."""
    region_source: str | None


def _to_record(
    doc: Document,
    *,
    agency: AgencyFields,
    year: int | None,
    edition: Edition | None,
    title: str | None,
    signed_on: date | None,
    signed_line: int | None,
    period: PeriodFields | None,
    contact: ContactFields | None,
    sections: dict[str, str | None],
    proactive: dict[str, dict[str, Value]] | None,
    requests: dict[str, list[Value]] | None,
    appeals: dict[str, dict[str, Value]] | None,
    headings: list[Heading],
    fingerprint: dict[str, list[str]],
    warnings: list[ParseWarning],
) -> Record:
    """The typed record from what the parse internals return (tables and facts in their
    published shapes): the one place that knows both, so the internals can change beneath.

    A table's cells must be numbers or null (a ValueError otherwise: a parser bug, listed as
    the program's fault for that report). An appeals group is read by its five fields."""
    region = agency["region"]
    return Record(
        id=record_id(agency["name"], year, doc.path),
        agency=Agency(
            name=agency["name"],
            region=Region.from_dict(region) if region is not None else None,
            name_source=agency["name_source"],
            region_source=agency["region_source"],
        ),
        year=year,
        edition=edition,
        title=title,
        published=signed_on.isoformat() if signed_on else None,
        period=Period(period["start"], period["end"]) if period is not None else None,
        contact=Contact.from_dict(contact) if contact is not None else None,
        source=Source(
            doc.path,
            doc.sha256,
            doc.format,
            doc.pages,
            # read from page images (ingest/ocr.py): how, and the threshold the values passed
            ocr={**doc.ocr, "threshold": OCR_MIN_CONFIDENCE} if doc.ocr else None,
        ),
        sections=Sections.from_dict(sections),
        proactive=ProactiveTable.from_dict(proactive) if proactive is not None else None,
        requests=RequestsTable.from_dict(requests) if requests is not None else None,
        appeals=AppealsTable.from_dict(appeals) if appeals is not None else None,
        checks=(),
        parse=ParseInfo(
            version=PARSER_VERSION,
            headings=tuple(SectionHeading(h.section, h.line, h.text) for h in headings),
            fingerprint=Fingerprint(tuple(fingerprint["2019"]), tuple(fingerprint["2021"])),
            published_line=signed_line,
            warnings=tuple(warnings),
        ),
    )


def _simplified(doc: Document, warnings: list[ParseWarning]) -> Document:
    """A copy in simplified characters for matching, when the report is in 繁體."""
    sample = "".join(b.text for b in doc.blocks[:60] if isinstance(b, Paragraph))
    if not looks_traditional(sample):
        return doc
    warnings.append(
        warning(
            "traditional-chinese",
            None,
            None,
            "report is in traditional characters; labels matched after conversion to simplified",
        )
    )
    blocks: list[Paragraph | Table] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            blocks.append(replace(block, text=to_simplified(block.text)))
        else:
            rows = tuple(
                tuple(replace(c, text=to_simplified(c.text)) for c in row) for row in block.rows
            )
            blocks.append(replace(block, rows=rows))
    return replace(doc, blocks=tuple(blocks))


TITLE_SEARCH = 12
"""The title is among the first paragraphs (after any page chrome)."""


def _title_positions(matching: Document) -> list[int]:
    """Block positions of the title lines, found in the matching form."""
    indexed = [(i, b) for i, b in enumerate(matching.blocks) if isinstance(b, Paragraph)]
    found = facts.find_title([b for _, b in indexed[:TITLE_SEARCH]])
    return [indexed[i][0] for i in found]


def _title_text(doc: Document, positions: list[int]) -> str | None:
    """The title as printed (same block positions in the printed form)."""
    return _joined_paragraphs(doc, positions) or None


def _joined_paragraphs(doc: Document, positions: list[int]) -> str:
    """The text of the paragraphs at these block positions, joined (title positions are
    always paragraphs': _title_positions finds them among the paragraphs)."""
    return "".join(b.text for i in positions if isinstance(b := doc.blocks[i], Paragraph))


def _trailing_paragraphs(doc: Document) -> list[Paragraph]:
    tail: list[Paragraph] = []
    for block in reversed(doc.blocks):
        if not isinstance(block, Paragraph) or len(tail) == 3:
            break
        tail.append(block)
    return list(reversed(tail))


def _section_of_each_block(count: int, headings: list[Heading]) -> list[str | None]:
    section_at: list[str | None] = [None] * count
    current = None
    starts = {h.index: h.section for h in headings}
    for index in range(count):
        current = starts.get(index, current)
        section_at[index] = current
    return section_at


def _edition(
    proactive_tokens: dict[str, list[str]], requests: RequestsRows, warnings: list[ParseWarning]
) -> tuple[Edition | None, dict[str, list[str]]]:
    """2019 or 2021 by the table fingerprint (format-and-rules.md §1): §二's column headers
    decide; §三's （六） row shape confirms. Both editions' tokens -> recorded with a warning."""
    fingerprint = {"2019": list(proactive_tokens["2019"]), "2021": list(proactive_tokens["2021"])}
    if requests.saw_single_other:
        fingerprint["2019"].append("（六）其他处理（单行）")
    if requests.saw_other_subrows:
        fingerprint["2021"].append("（六）其他处理·1-3")
    votes_2019, votes_2021 = len(fingerprint["2019"]), len(fingerprint["2021"])
    by_proactive: Edition | None = None
    if proactive_tokens["2019"] or proactive_tokens["2021"]:
        by_proactive = (
            "2019" if len(proactive_tokens["2019"]) > len(proactive_tokens["2021"]) else "2021"
        )
    by_requests: Edition | None = None
    if requests.saw_single_other != requests.saw_other_subrows:
        by_requests = "2019" if requests.saw_single_other else "2021"
    edition = by_proactive or by_requests
    if edition is None:
        warnings.append(
            warning("no-edition", None, None, "no table fingerprint of either edition found")
        )
    elif votes_2019 and votes_2021:
        warnings.append(
            warning(
                "mixed-edition",
                None,
                None,
                f"tokens of both editions: 2019 {fingerprint['2019']}, 2021 {fingerprint['2021']}; recorded as {edition}",
            )
        )
    return edition, fingerprint


def _sections(
    by_section: dict[str, list[Paragraph]],
    rows: dict[str, list[Row]],
    warnings: list[ParseWarning],
) -> dict[str, str | None]:
    sections: dict[str, str | None] = {}
    for key in SECTION_KEYS:
        if key in by_section:
            sections[key] = section_markdown(by_section[key])
        elif key in TABLE_SECTIONS and rows[key]:
            sections[key] = ""
            warnings.append(
                warning(
                    "section-by-content",
                    None,
                    f"sections.{key}",
                    f"heading of section {key} not found; located by its table",
                )
            )
        else:
            sections[key] = None
            warnings.append(
                warning("missing-section", None, f"sections.{key}", f"section {key} not found")
            )
    return sections


def _agency(
    doc: Document,
    matching: Document,
    title_positions: list[int],
    signer: str | None,
    headings: list[Heading],
    warnings: list[ParseWarning],
) -> AgencyFields:
    """The reporting body as the report names itself (generator/parse/agency.py lists the
    sources in order), in the printed script; the folders or file name when it never does."""
    paragraphs = [(i, b) for i, b in enumerate(matching.blocks) if isinstance(b, Paragraph)]
    first_heading = headings[0].index if headings else len(matching.blocks)
    early = [b for i, b in paragraphs if i < first_heading][:TITLE_SEARCH]
    title = _joined_paragraphs(matching, title_positions)
    around: list[Paragraph] = []
    if title_positions:
        for i in (title_positions[0] - 1, title_positions[-1] + 1):
            block = matching.blocks[i] if 0 <= i < len(matching.blocks) else None
            if isinstance(block, Paragraph):
                around.append(block)
    candidates: tuple[tuple[str, Callable[[], str | None]], ...] = (
        ("title", lambda: agency.name_in_title(title)),
        ("title-line", lambda: next(filter(None, map(agency.name_on_a_line, around)), None)),
        (
            "signature",
            lambda: (
                agency.clean(signer)
                if signer and agency.is_agency_name(agency.clean(signer))
                else None
            ),
        ),
        ("text", lambda: agency.name_in_text([b for _, b in paragraphs[:40]])),
        ("preamble", lambda: next(filter(None, map(agency.name_on_a_line, early)), None)),
        ("page", lambda: agency.name_in_page_meta(_page_lines(matching))),
    )
    name, source = None, None
    for candidate_source, find in candidates:
        name = find()
        if name:
            source = candidate_source
            break
    texts = [b.text for _, b in paragraphs]
    noted = False
    if name and facts.is_place_only(name):
        fuller = (
            agency.clean(signer)
            if signer and agency.clean(signer).startswith(name)
            else facts.full_name_in_text(name, texts)
        )
        if fuller:
            warnings.append(
                warning(
                    "agency-name-source",
                    None,
                    "agency.name",
                    f"the {source} names only the place '{name}'; full name '{fuller}' taken from the {'signature' if signer and fuller == agency.clean(signer) else 'text'}",
                )
            )
            source = "signature" if signer and fuller == agency.clean(signer) else "text"
            name = fuller
            noted = True
    if name and not noted and source not in ("title", "signature"):
        warnings.append(
            warning(
                "agency-name-source",
                None,
                "agency.name",
                f"agency name '{name}' taken from the {source} (the title does not name it)",
            )
        )
    if name and matching is not doc:
        name = _printed(name, doc)
    if not name:
        found = facts.agency_from_path(doc.path)
        if found:
            name, source = found
            warnings.append(
                warning(
                    "agency-name-source",
                    None,
                    "agency.name",
                    f"the report does not name its agency; '{name}' taken from the {source} name",
                )
            )
    region = region_from_path(doc.path)
    return {
        "name": name,
        "region": region,
        "name_source": source,
        "region_source": "folders" if region else None,
    }


def _page_lines(matching: Document) -> list[Paragraph]:
    """The first lines of the page, table rows joined (a page's metadata table: 发布机构: | 县民政局 |)."""
    lines: list[Paragraph] = []
    for block in matching.blocks[:TITLE_SEARCH]:
        if isinstance(block, Paragraph):
            lines.append(block)
        else:
            lines += [
                Paragraph("|".join(c.text for c in row), block.line) for row in block.rows if row
            ]
    return lines


def _printed(simplified: str, doc: Document) -> str:
    """The name in the report's own (traditional) script: the same characters where the
    printed text, converted, reads the simplified name."""
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = norm(block.text)
        converted = to_simplified(text)
        if len(converted) != len(text):
            continue
        at = converted.find(simplified)
        if at >= 0:
            return text[at : at + len(simplified)]
    return simplified


def _year(
    title: str | None,
    period: PeriodFields | None,
    matching: Document,
    path: str,
    warnings: list[ParseWarning],
) -> int | None:
    """The year reported on: from the title, else the statistical period, else the text
    (the report naming its year, or the overview opening with it), else the file name."""
    year = facts.year_from_title(title)
    if year is not None:
        return year
    paragraphs = [b for b in matching.blocks if isinstance(b, Paragraph)][:40]
    finders: tuple[tuple[str, Callable[[], int | None]], ...] = (
        ("the statistical period", lambda: int(period["end"][:4]) if period else None),
        ("the text", lambda: facts.year_in_text(paragraphs)),
        ("the file name", lambda: facts.year_from_file_name(path)),
    )
    for source, find in finders:
        year = find()
        if year is not None:
            warnings.append(
                warning(
                    "year-source", None, "year", f"year taken from {source} (no year in the title)"
                )
            )
            return year
    return None


def _note_truncation(
    doc: Document, rows: dict[str, list[Row]], warnings: list[ParseWarning]
) -> None:
    """Text that stops inside a table: say so (the missing rows are already null)."""
    if doc.blocks and isinstance(doc.blocks[-1], Table):
        kind = next((k for k in ("appeals", "requests", "proactive") if rows[k]), None)
        if kind and not (kind == "appeals" and any(r.has_values for r in rows["appeals"])):
            warnings.append(
                warning(
                    "truncated",
                    doc.blocks[-1].rows[-1][0].line if doc.blocks[-1].rows else None,
                    kind,
                    f"the text ends inside table {kind}; rows after the cut are null",
                )
            )
