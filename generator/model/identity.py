"""The record id: `<agency-slug>/<year>`, the page path of a report. The one rule for it.

The slug is ASCII `[a-z0-9]` words joined by single hyphens and the year four digits, so an id
built from report text can never leave the output folder. A report without a year has no id:
it is listed as unreadable (未能识别报告年度), never published under a placeholder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model.record import Record

RECORD_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*/\d{4}$"
"""The JSON Schema's `id` pattern is this constant (tests/test_schema.py checks it)."""
RECORD_ID = re.compile(RECORD_ID_PATTERN)


def format_record_id(slug: str, year: int) -> str:
    """`slug/year`; ValueError if the result does not match the id rule."""
    record_id = f"{slug}/{year:04d}"
    if not RECORD_ID.match(record_id):
        raise ValueError(f"not a record id: {record_id!r}")
    return record_id


def is_record_id(value: object) -> bool:
    return isinstance(value, str) and RECORD_ID.match(value) is not None


def split_record_id(record_id: str) -> tuple[str, int]:
    """(slug, year) of a valid id; ValueError otherwise."""
    if not is_record_id(record_id):
        raise ValueError(f"not a record id: {record_id!r}")
    slug, year = record_id.split("/")
    return slug, int(year)


# ---- strangers never share an id -----------------------------------------------------------

REGION_KEYS = ("province", "city", "county", "township")


def place_key(record: Record | dict[str, Any]) -> tuple[str, ...]:
    """Where a report sits: its region from the folders, else its folder. Reports of one
    agency and year are versions of one report only when their places agree too."""
    if isinstance(record, dict):  # until the pipeline holds typed records
        region = (record.get("agency") or {}).get("region") or {}
        levels = tuple(region.get(key) or "" for key in REGION_KEYS)
        file = record["source"]["file"]
    else:
        names = record.agency.region.names() if record.agency.region is not None else ()
        levels = tuple(name or "" for name in names) or ("",) * len(REGION_KEYS)
        file = record.source.file
    if any(levels):
        return ("region", *levels)
    return ("folder", PurePosixPath(file).parent.as_posix())


def disambiguate_ids(records: list[dict[str, Any]]) -> None:
    """Give different places that share an agency slug different ids (in place).

    Two reports named 县人民政府办公室 in a 河南省 and a 黑龙江省 folder are two agencies. When a
    slug is used at more than one place (in any year, so one agency keeps one slug across
    years), each place's slug gets a suffix: its deepest place name, else its whole place,
    else a short hash of it; the first of these that tells all the places apart is used."""
    from generator.parse.identity import slugify

    places: dict[str, set[tuple[str, ...]]] = {}
    for record in records:
        slug, _ = split_record_id(record["id"])
        places.setdefault(slug, set()).add(place_key(record))
    suffixes: dict[tuple[str, tuple[str, ...]], str] = {}
    for slug, keys in places.items():
        if len(keys) < 2:
            continue
        ordered = sorted(keys)
        for suffix_of in (
            lambda key: slugify(next((p for p in reversed(key[1:]) if p), "")),
            lambda key: slugify("".join(key[1:]))[:60].strip("-"),
            lambda key: hashlib.sha256("\0".join(key).encode()).hexdigest()[:8],
        ):
            chosen = [suffix_of(key) for key in ordered]
            if len(set(chosen)) == len(chosen) and all(chosen):
                suffixes.update(((slug, key), s) for key, s in zip(ordered, chosen, strict=True))
                break
    for record in records:
        slug, year = split_record_id(record["id"])
        suffix = suffixes.get((slug, place_key(record)))
        if suffix:
            record["id"] = format_record_id(f"{slug}-{suffix}", year)
