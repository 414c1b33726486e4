"""Who reports and where: the agency as the report names itself, and its region."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

REGION_KEYS = ("province", "city", "county", "township")


@dataclass(frozen=True, slots=True)
class Region:
    """Administrative levels from the folders (reports/<省>/<市>/<县>/<乡>/…); None = unknown."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None

    def names(self) -> tuple[str | None, ...]:
        """The four levels, province first (None where unknown)."""
        return (self.province, self.city, self.county, self.township)

    def items(self) -> Iterator[tuple[str, str | None]]:
        return zip(REGION_KEYS, self.names(), strict=True)

    def get(self, key: str) -> str | None:
        if key not in REGION_KEYS:
            raise KeyError(key)
        value: str | None = getattr(self, key)
        return value

    def to_dict(self) -> dict[str, Any]:
        return dict(self.items())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Region:
        return cls(*(data.get(key) for key in REGION_KEYS))


@dataclass(frozen=True, slots=True)
class Agency:
    name: str | None
    """The reporting body as the report names itself (white space removed); None if unknown."""
    region: Region | None = None
    """From the folders the report sits in; None when no folder is an administrative name."""
    name_source: str | None = None
    """Where the name came from: title, signature, text, file or folder (docs/contract.md)."""
    region_source: str | None = None
    """`folders`, `text`, or None."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "region": self.region.to_dict() if self.region is not None else None,
            "name_source": self.name_source,
            "region_source": self.region_source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Agency:
        region = data.get("region")
        return cls(
            name=data.get("name"),
            region=Region.from_dict(region) if region is not None else None,
            name_source=data.get("name_source"),
            region_source=data.get("region_source"),
        )
