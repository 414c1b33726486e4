"""What the parser says about how it read a report (`parse` in the record)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.model.warning import ParseWarning


@dataclass(frozen=True, slots=True)
class SectionHeading:
    """A section heading the parser recognised (a section located by content has none)."""

    section: str
    """overview, proactive, requests, appeals, problems or other."""
    line: int
    text: str
    """As printed."""

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "line": self.line, "text": self.text}


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Edition tokens seen in the tables (format-and-rules.md §1), per edition."""

    edition_2019: tuple[str, ...] = ()
    edition_2021: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"2019": list(self.edition_2019), "2021": list(self.edition_2021)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        return cls(tuple(data.get("2019") or ()), tuple(data.get("2021") or ()))


@dataclass(frozen=True, slots=True)
class ParseInfo:
    version: str
    """generator.parse.PARSER_VERSION (part of the parse cache key)."""
    headings: tuple[SectionHeading, ...] | None = ()
    """In order of appearance; None for a record that never listed them (hand-written)."""
    fingerprint: Fingerprint = Fingerprint()
    published_line: int | None = None
    """Source line of the 落款 date the `published` date was read from."""
    warnings: tuple[ParseWarning, ...] = ()

    def warnings_with(
        self, codes: Iterable[str] = (), *, under: str | None = None
    ) -> list[ParseWarning]:
        """Warnings with one of `codes` (any code when empty) whose `where` is `under` or a
        key path below it."""
        wanted = frozenset(codes)
        return [
            w
            for w in self.warnings
            if (not wanted or w.code in wanted) and (under is None or is_under(w.where, under))
        ]

    def heading_line(self, section: str) -> int | None:
        return next((h.line for h in self.headings or () if h.section == section), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "headings": [h.to_dict() for h in self.headings] if self.headings is not None else None,
            "fingerprint": self.fingerprint.to_dict(),
            "published_line": self.published_line,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParseInfo:
        headings = data.get("headings")
        return cls(
            version=str(data.get("version") or ""),
            headings=None
            if headings is None
            else tuple(SectionHeading(h["section"], h["line"], h["text"]) for h in headings),
            fingerprint=Fingerprint.from_dict(data.get("fingerprint") or {}),
            published_line=data.get("published_line"),
            warnings=tuple(ParseWarning.from_dict(w) for w in data.get("warnings") or ()),
        )


def is_under(where: str | None, prefix: str) -> bool:
    """`where` is the key path `prefix` or below it (requests.granted.total under requests)."""
    return where is not None and (where == prefix or where.startswith(prefix + "."))
