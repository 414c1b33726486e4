"""The record: one annual report as the stages share it (schema `nianbao/record/1`).

`Record.to_dict` / `Record.from_dict` are the one crossing between this model and the
published format (YAML, JSON, the parse cache). The dict has the keys of record.md in their
published order, then the extensions of docs/contract.md, each only when there is something to
say; `from_dict(to_dict(r)) == r` and `to_dict(from_dict(d)) == d` for every record the
pipeline writes, so the published files do not depend on which side they were made from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.model.agency import Agency
from generator.model.finding import Finding
from generator.model.history import Correction, PreviousVersion, RejectedCorrection, SourceEdit
from generator.model.identity import split_record_id
from generator.model.parse_info import ParseInfo
from generator.model.tables import (
    TOTAL_COLUMN,
    AppealsTable,
    ProactiveTable,
    RequestsTable,
    Value,
)
from generator.record import SCHEMA, SECTION_KEYS

Edition = Literal["2019", "2021"]
"""国办公开办函〔2019〕60号 (reports on 2019-2020) or 〔2021〕30号 (2021 on)."""
EDITIONS: tuple[Edition, ...] = ("2019", "2021")


def _iso(value: Any) -> str | None:
    """A date as ISO text; YAML reads an unquoted 2021-01-08 as a date."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Period:
    """The statistical period the report states (ISO dates)."""

    start: str | None
    end: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Period:
        return cls(_iso(data.get("start")), _iso(data.get("end")))


@dataclass(frozen=True, slots=True)
class Contact:
    """Contact details the report states; None where it states none."""

    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "postcode": self.postcode,
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Contact:
        return cls(*(data.get(key) for key in ("address", "postcode", "phone", "email", "website")))


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    """Path under reports/ (POSIX)."""
    sha256: str | None
    """Of the file's bytes (None only in hand-written test records)."""
    format: str
    """txt, md, pdf, docx, html or image."""
    pages: int | None = None
    ocr: dict[str, Any] | None = None
    """How the values were read from page images (ingest/ocr.py): engine, version, dpi, pages,
    deskew angles and the confidence threshold; None (and absent) for a file with text."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "pages": self.pages,
        }
        if self.ocr is not None:
            data["ocr"] = self.ocr
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        return cls(
            data["file"], data.get("sha256"), data["format"], data.get("pages"), data.get("ocr")
        )


@dataclass(frozen=True, slots=True)
class Sections:
    """Narrative Markdown of the six sections 一…六; None when the section is missing, ""
    when it was located only by its table."""

    overview: str | None = None
    proactive: str | None = None
    requests: str | None = None
    appeals: str | None = None
    problems: str | None = None
    other: str | None = None

    def get(self, key: str) -> str | None:
        if key not in SECTION_KEYS:
            raise KeyError(key)
        text: str | None = getattr(self, key)
        return text

    def items(self) -> Iterator[tuple[str, str | None]]:
        return ((key, self.get(key)) for key in SECTION_KEYS)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.items())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sections:
        return cls(*(data.get(key) for key in SECTION_KEYS))


@dataclass(frozen=True, slots=True)
class Record:
    id: str | None
    """`<agency-slug>/<year>` (generator/model/identity.py); None only for a parse without a
    year, which is never published (the input is listed as 未能识别报告年度)."""
    agency: Agency
    year: int | None
    """The year reported on; None only for a parse that found none (never published)."""
    edition: Edition | None
    """The official table format by the table fingerprint; None when no table was found."""
    title: str | None
    published: str | None
    """ISO date of the 落款 (signature), else None."""
    period: Period | None
    contact: Contact | None
    source: Source
    sections: Sections
    proactive: ProactiveTable | None
    requests: RequestsTable | None
    appeals: AppealsTable | None
    checks: tuple[Finding, ...]
    """Compliance findings, sorted by (rule, where, message); () until the check stage."""
    parse: ParseInfo
    corrections: tuple[Correction, ...] = ()
    """Applied sidecar entries, in sidecar order (published only when there are some)."""
    corrections_rejected: tuple[RejectedCorrection, ...] = ()
    previous_versions: tuple[PreviousVersion, ...] = ()
    """Older reports of the same agency, year and place, most recent first."""
    edits: tuple[SourceEdit, ...] = ()
    """Earlier contents of this report's own file (silent edits), most recent first, from the
    git history of reports/; () outside git or when the file never changed."""
    schema: str = SCHEMA

    # ---- identity ------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The id of a record that has one (every record past the pipeline's year check)."""
        if self.id is None:
            raise ValueError(f"{self.source.file}: a record without a year has no id")
        return self.id

    @property
    def slug(self) -> str:
        """The agency part of the id (`yimeiqu-renminzhengfu` of `…/2021`)."""
        return split_record_id(self.key)[0]

    @property
    def report_year(self) -> int:
        """The year of a published record (ValueError for a parse without one)."""
        if self.year is None:
            raise ValueError(f"{self.source.file}: no report year")
        return self.year

    @property
    def agency_name(self) -> str:
        """The agency's name, else the slug of the id (what pages call the agency)."""
        return self.agency.name or self.slug

    # ---- tables ------------------------------------------------------------------------

    def table(self, key: str) -> ProactiveTable | RequestsTable | AppealsTable | None:
        """A statistical table by its record key: proactive, requests or appeals."""
        tables = {"proactive": self.proactive, "requests": self.requests, "appeals": self.appeals}
        if key not in tables:
            raise KeyError(key)
        return tables[key]

    def request_cell(self, row: str, column: int) -> Value:
        """A section 三 cell by row id and column index; None for a missing table, row or cell
        (as every accessor here: the caller decides what a null means, never 0)."""
        return self.requests.cell(row, column) if self.requests is not None else None

    def request_total(self, row: str) -> Value:
        """The 总计 column of a section 三 row."""
        return self.request_cell(row, TOTAL_COLUMN)

    def request_group_total(self, group: str) -> Value:
        """The 总计 of a result group (denied, unable, …; RequestsTable.group_total)."""
        return self.requests.group_total(group) if self.requests is not None else None

    def proactive_cell(self, row: str, field: str) -> Value:
        return self.proactive.value(row, field) if self.proactive is not None else None

    def appeal_cell(self, group: str, field: str) -> Value:
        return self.appeals.value(group, field) if self.appeals is not None else None

    @property
    def table_edition(self) -> Edition | None:
        """The edition the tables follow: the record's, else the one its table rows imply
        (2019: the single （六）其他处理 row, 其他对外管理服务事项 or 政府集中采购; 2021: the
        three （六） sub-rows or 本年制发件数). None when nothing tells."""
        if self.edition is not None:
            return self.edition
        requests, proactive = self.requests, self.proactive
        if (requests is not None and "other" in requests) or (
            proactive is not None and ("procurement" in proactive or "other_services" in proactive)
        ):
            return "2019"
        rules = proactive.row("rules") if proactive is not None else None
        if (requests is not None and "other_misc" in requests) or (
            rules is not None and "issued" in rules
        ):
            return "2021"
        return None

    # ---- the published format ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The published form: record.md's keys in order, then the extensions present."""
        data: dict[str, Any] = {
            "schema": self.schema,
            "id": self.id,
            "agency": self.agency.to_dict(),
            "year": self.year,
            "edition": self.edition,
            "title": self.title,
            "published": self.published,
            "period": self.period.to_dict() if self.period is not None else None,
            "contact": self.contact.to_dict() if self.contact is not None else None,
            "source": self.source.to_dict(),
            "sections": self.sections.to_dict(),
            "proactive": self.proactive.to_dict() if self.proactive is not None else None,
            "requests": self.requests.to_dict() if self.requests is not None else None,
            "appeals": self.appeals.to_dict() if self.appeals is not None else None,
            "checks": [finding.to_dict() for finding in self.checks],
            "parse": self.parse.to_dict(),
        }
        if self.corrections:
            data["corrections"] = [c.to_dict() for c in self.corrections]
        if self.corrections_rejected:
            data["corrections_rejected"] = [c.to_dict() for c in self.corrections_rejected]
        if self.previous_versions:
            data["previous_versions"] = [v.to_dict() for v in self.previous_versions]
        if self.edits:
            data["edits"] = [e.to_dict() for e in self.edits]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """A record from its published form; ValueError or KeyError when it is not one."""
        edition = data.get("edition")
        if edition is not None and edition not in EDITIONS:
            raise ValueError(f"edition {edition!r} is not one of {EDITIONS}")
        period, contact = data.get("period"), data.get("contact")
        proactive, requests, appeals = (data.get(k) for k in ("proactive", "requests", "appeals"))
        return cls(
            schema=data.get("schema", SCHEMA),
            id=data.get("id"),
            agency=Agency.from_dict(data.get("agency") or {}),
            year=data.get("year"),
            edition=edition,
            title=data.get("title"),
            published=_iso(data.get("published")),
            period=Period.from_dict(period) if period is not None else None,
            contact=Contact.from_dict(contact) if contact is not None else None,
            source=Source.from_dict(data["source"]),
            sections=Sections.from_dict(data.get("sections") or {}),
            proactive=ProactiveTable.from_dict(proactive) if proactive is not None else None,
            requests=RequestsTable.from_dict(requests) if requests is not None else None,
            appeals=AppealsTable.from_dict(appeals) if appeals is not None else None,
            checks=tuple(Finding.from_dict(f) for f in data.get("checks") or ()),
            parse=ParseInfo.from_dict(data.get("parse") or {}),
            corrections=tuple(Correction.from_dict(c) for c in data.get("corrections") or ()),
            corrections_rejected=tuple(
                RejectedCorrection.from_dict(c) for c in data.get("corrections_rejected") or ()
            ),
            previous_versions=tuple(
                PreviousVersion.from_dict(v) for v in data.get("previous_versions") or ()
            ),
            edits=tuple(SourceEdit.from_dict(e) for e in data.get("edits") or ()),
        )
