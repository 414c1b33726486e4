"""The site-wide view of the records: agencies, regions, years, finding counts, sort keys.

Everything here is deterministic: lists come out sorted by explicit keys, never by dict or
file-system order. A record's findings are its own (`Record.checks`, attached by the check
stage); pages list them most serious first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from generator.model import Finding, Level, Record, Region, count_levels

UNKNOWN_REGION = "地区未知"


# Pure functions of the text, called for the same few thousand names by every sort: cached.
@lru_cache(maxsize=1 << 16)
def pinyin_key(text: str) -> tuple[str, str]:
    """Sort key: the pinyin spelling (tone-less, lower case), then the text itself."""
    return (" ".join(lazy_pinyin(text, errors="default")).lower(), text)


@lru_cache(maxsize=1 << 16)
def initial_letter(text: str) -> str:
    """A–Z initial of the first character's pinyin; "#" for anything else."""
    if not text:
        return "#"
    letters = lazy_pinyin(text[0], style=Style.FIRST_LETTER, errors="default")
    first = (letters[0][:1] if letters else "").upper()
    return first if "A" <= first <= "Z" else "#"


@dataclass
class Agency:
    slug: str
    records: list[Record] = field(default_factory=list)  # newest year first

    @property
    def latest(self) -> Record:
        return self.records[0]

    @property
    def name(self) -> str:
        return self.latest.agency.name or self.slug

    @property
    def region(self) -> Region:
        return self.latest.agency.region or Region()

    def region_path(self) -> tuple[str, ...]:
        """Known region names from the province down; () when even the province is unknown."""
        names: list[str] = []
        for value in self.region.names()[:3]:
            if not value:
                break
            names.append(value)
        return tuple(names)


@dataclass
class Catalog:
    records: list[Record]  # sorted by id
    agencies: list[Agency]  # sorted by pinyin of the name
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    """Record id -> its findings, most serious first (then rule, where, message)."""

    def findings_of(self, record_id: str) -> list[Finding]:
        return self.findings.get(record_id, [])

    def counts_of(self, record_id: str) -> dict[Level, int]:
        return count_levels(self.findings_of(record_id))

    @property
    def years(self) -> list[int]:
        return sorted({r.report_year for r in self.records}, reverse=True)

    def by_year(self, year: int) -> list[Record]:
        return sorted(
            (r for r in self.records if r.report_year == year),
            key=lambda r: (*pinyin_key(r.agency_name), r.key),
        )

    def latest_reports(self, limit: int) -> list[Record]:
        ordered = sorted(self.records, key=lambda r: r.key)
        ordered.sort(key=lambda r: (r.report_year, r.published or ""), reverse=True)
        return ordered[:limit]

    def total_counts(self) -> dict[Level, int]:
        return count_levels(f for r in self.records for f in self.findings_of(r.key))

    def year_summary(self, year: int) -> YearSummary:
        records = [r for r in self.records if r.report_year == year]
        return YearSummary(
            year=year,
            reports=len(records),
            with_errors=sum(1 for r in records if self.counts_of(r.key)[Level.ERROR]),
            counts=count_levels(f for r in records for f in self.findings_of(r.key)),
        )


@dataclass(frozen=True, slots=True)
class YearSummary:
    """One year's reports on the compliance and years pages."""

    year: int
    reports: int
    with_errors: int
    """Reports with at least one error-level finding."""
    counts: dict[Level, int]


def build_catalog(records: Sequence[Record]) -> Catalog:
    ordered = sorted(records, key=lambda r: r.key)
    by_slug: dict[str, Agency] = {}
    for record in ordered:
        by_slug.setdefault(record.slug, Agency(record.slug)).records.append(record)
    for agency in by_slug.values():
        agency.records.sort(key=lambda r: r.report_year, reverse=True)
    agencies = sorted(by_slug.values(), key=lambda a: (*pinyin_key(a.name), a.slug))
    findings = {r.key: _most_serious_first(r.checks) for r in ordered}
    return Catalog(ordered, agencies, findings)


def _most_serious_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.level.order, f.rule, str(f.where), f.message))
