"""Who reports and where, as the analyses see it: a cleaned agency name, a region of four
administrative levels, and the agency's kind (which decides its statutory deadline).

Kinds (format-and-rules.md §3 Art. 49, MD-04, §7):

    government  the people's government's own report (XX县人民政府, a bare place name 尖山区)
    office      the government's 办公室/办公厅 (XX区政府办): a department for the deadline [D]
    department  any other body of a 县级以上 government (局, 委, 中心, …)
    township    乡/镇/街道 and their offices: no statutory deadline
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["government", "office", "department", "township"]
KINDS: Final[tuple[Kind, ...]] = ("government", "office", "department", "township")
KIND_LABELS: Final[dict[Kind, str]] = {
    "government": "人民政府本级",
    "office": "政府办公室",
    "department": "政府部门",
    "township": "乡镇、街道",
}

REGION_LEVELS: Final = ("province", "city", "county", "township")
REGION_LABELS: Final = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级"}

_SPACE = re.compile(r"[\s\u3000#*]+")
# The office of a government (its own report, Jan 31 like a department: §7 of the spec).
_OFFICE = re.compile(r"(人民)?政府办(公室|公厅)?$")


def clean_name(name: str) -> str:
    """The agency name without white space or Markdown marks (卫东区 政府办 -> 卫东区政府办)."""
    return _SPACE.sub("", name)


@dataclass(frozen=True, slots=True, order=True)
class Region:
    """Four administrative levels from the folders (reports/<省>/<市>/<县>/<乡>/…); "" unknown."""

    province: str = ""
    city: str = ""
    county: str = ""
    township: str = ""

    @classmethod
    def of(cls, levels: Iterable[str | None]) -> Region:
        """From up to four level names, province first (None or "" = unknown)."""
        values = [clean_name(v) if v else "" for v in levels]
        if len(values) > 4:
            raise ValueError(f"a region has at most 4 levels, got {len(values)}")
        return cls(*values)

    @classmethod
    def from_path(cls, path: str) -> Region:
        """From "河南省/平顶山市/卫东区" (levels in order, missing trailing levels unknown)."""
        return cls.of(part for part in path.split("/") if part.strip())

    def levels(self) -> tuple[str, str, str, str]:
        return (self.province, self.city, self.county, self.township)

    @property
    def path(self) -> str:
        """The known levels joined by "/" (河南省/平顶山市/卫东区); "" when nothing is known."""
        return "/".join(level for level in self.levels() if level)

    @property
    def depth(self) -> int:
        """How many levels down the deepest known level is (0 = unknown, 3 = county)."""
        known = [i for i, level in enumerate(self.levels()) if level]
        return known[-1] + 1 if known else 0

    def parent(self) -> Region:
        """The region one level up (the deepest known level removed)."""
        levels = list(self.levels())
        if self.depth:
            levels[self.depth - 1] = ""
        return Region(*levels)

    def within(self, other: Region) -> bool:
        """True when every level known in `other` is the same here (a county is within its city)."""
        return all(
            not theirs or mine == theirs
            for mine, theirs in zip(self.levels(), other.levels(), strict=True)
        )


@dataclass(frozen=True, slots=True, order=True)
class AgencyRef:
    """One agency: its name as the report gives it (white space removed) and its region.

    Two reports are by the same agency when both agree (README: namesakes in two regions are
    two agencies)."""

    name: str
    region: Region = Region()

    @classmethod
    def of(cls, name: str, region: Region | Iterable[str | None] = ()) -> AgencyRef:
        place = region if isinstance(region, Region) else Region.of(region)
        return cls(clean_name(name), place)

    @property
    def label(self) -> str:
        """Region path and name, 河南省/平顶山市/卫东区 卫东区政府办 (the name alone without one)."""
        return f"{self.region.path} {self.name}" if self.region.path else self.name


def agency_kind(name: str) -> Kind:
    """government, office, department or township, from the name (MD-04 heuristics).

    The government/department/township split is generator/check/agency.py's `classify_name`
    (imported here, not copied); an office (XX区政府办, XX县人民政府办公室) is told apart from
    the other departments because the portal's pages name it. Both have the 1月31日 deadline."""
    from generator.check.agency import DEPARTMENT, GOVERNMENT, TOWNSHIP, classify_name

    cleaned = clean_name(name)
    kind = classify_name(cleaned)
    if kind == TOWNSHIP:
        return "township"
    if kind == GOVERNMENT:
        return "government"
    if kind != DEPARTMENT:  # pragma: no cover - classify_name returns one of three
        raise ValueError(f"unknown agency type {kind!r}")
    return "office" if _OFFICE.search(cleaned) else "department"


@dataclass(frozen=True, slots=True)
class RuleCandidate:
    """A rule for the catalogue, in the fields of generator/check/catalogue.py's Rule (id,
    Chinese title, family, default level, scope, what it checks, basis, certainty) without the
    function: a later phase wires it. Certainty D: inferred, the portal's own analysis and not
    a legal requirement; the rule page must say so."""

    id: str
    title: str
    family: str
    level: str
    scope: str
    what: str
    basis: str
    certainty: str
