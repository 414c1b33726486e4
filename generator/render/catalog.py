"""The site-wide view of the records: agencies, regions, years, finding counts, sort keys.

Everything here is deterministic: lists come out sorted by explicit keys, never by dict or
file-system order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from generator.check import count_levels
from generator.record import REQUEST_GROUPS

LEVELS = ("error", "warning", "info")
LEVEL_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
UNKNOWN_REGION = "地区未知"
REGION_KEYS = ("province", "city", "county", "township")


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


def record_id_parts(record_id: str) -> tuple[str, str]:
    slug, year = record_id.split("/")
    return slug, year


def request_total(record: dict[str, Any], row: str) -> Any:
    """The 总计 column of one section 三 row, or None."""
    values = (record.get("requests") or {}).get(row)
    return values[-1] if isinstance(values, list) and values else None


def group_total(record: dict[str, Any], group: str) -> Any:
    """Sum of the 总计 of a result group's rows present in the record; None if any is null."""
    requests = record.get("requests") or {}
    rows = next(rows for gid, _label, rows in REQUEST_GROUPS if gid == group)
    present = [row for row in rows if row in requests]
    if not present:
        return None
    values = [request_total(record, row) for row in present]
    if any(v is None for v in values):
        return None
    return sum(values)


def appeal_total(record: dict[str, Any], group: str) -> Any:
    return ((record.get("appeals") or {}).get(group) or {}).get("total")


@dataclass
class Agency:
    slug: str
    records: list[dict[str, Any]] = field(default_factory=list)  # newest year first

    @property
    def latest(self) -> dict[str, Any]:
        return self.records[0]

    @property
    def name(self) -> str:
        return str((self.latest.get("agency") or {}).get("name") or self.slug)

    @property
    def region(self) -> dict[str, Any]:
        return (self.latest.get("agency") or {}).get("region") or {}

    def region_path(self) -> tuple[str, ...]:
        """Known region names from the province down; () when even the province is unknown."""
        names: list[str] = []
        for key in REGION_KEYS[:3]:
            value = self.region.get(key)
            if not value:
                break
            names.append(str(value))
        return tuple(names)


@dataclass
class Catalog:
    records: list[dict[str, Any]]  # sorted by id
    findings: dict[str, list[dict[str, Any]]]
    agencies: list[Agency]  # sorted by pinyin of the name

    def findings_of(self, record_id: str) -> list[dict[str, Any]]:
        return self.findings.get(record_id, [])

    def counts_of(self, record_id: str) -> dict[str, int]:
        return count_levels(self.findings_of(record_id))

    @property
    def years(self) -> list[int]:
        return sorted({int(r["year"]) for r in self.records}, reverse=True)

    def by_year(self, year: int) -> list[dict[str, Any]]:
        return sorted(
            (r for r in self.records if int(r["year"]) == year),
            key=lambda r: (*pinyin_key(agency_name(r)), r["id"]),
        )

    def latest_reports(self, limit: int) -> list[dict[str, Any]]:
        ordered = sorted(self.records, key=lambda r: r["id"])
        ordered.sort(key=lambda r: (int(r["year"]), str(r.get("published") or "")), reverse=True)
        return ordered[:limit]

    def total_counts(self) -> dict[str, int]:
        return count_levels(f for r in self.records for f in self.findings_of(r["id"]))

    def year_summary(self, year: int) -> dict[str, Any]:
        """{year, reports, with_errors, counts} of one year's reports."""
        records = [r for r in self.records if int(r["year"]) == year]
        return {
            "year": year,
            "reports": len(records),
            "with_errors": sum(1 for r in records if self.counts_of(r["id"])["error"]),
            "counts": count_levels(f for r in records for f in self.findings_of(r["id"])),
        }


def agency_name(record: dict[str, Any]) -> str:
    return str((record.get("agency") or {}).get("name") or record["id"].split("/")[0])


def build_catalog(
    records: Sequence[dict[str, Any]], findings: dict[str, list[dict[str, Any]]]
) -> Catalog:
    ordered = sorted(records, key=lambda r: r["id"])
    merged = {
        r["id"]: _sorted_findings(findings.get(r["id"], r.get("checks") or [])) for r in ordered
    }
    by_slug: dict[str, Agency] = {}
    for record in ordered:
        slug, _year = record_id_parts(record["id"])
        by_slug.setdefault(slug, Agency(slug)).records.append(record)
    for agency in by_slug.values():
        agency.records.sort(key=lambda r: int(r["year"]), reverse=True)
    agencies = sorted(by_slug.values(), key=lambda a: (*pinyin_key(a.name), a.slug))
    return Catalog(ordered, merged, agencies)


def _sorted_findings(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        findings,
        key=lambda f: (
            LEVELS.index(f["level"]) if f.get("level") in LEVELS else len(LEVELS),
            str(f.get("rule")),
            str(f.get("where")),
            str(f.get("message")),
        ),
    )
