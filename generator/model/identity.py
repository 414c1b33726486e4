"""The record id: `<agency-slug>/<year>`, the page path of a report. The one rule for it.

The slug is the agency name in pinyin, one hyphen between words (jieba segments the name),
ASCII `[a-z0-9]` words joined by single hyphens, and the year four digits, so an id built from
report text can never leave the output folder. A report without a year has no id: it is
listed as unreadable (未能识别报告年度), never published under a placeholder. Namesakes at
different places get different ids (`disambiguate_ids`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.memos import PureMemo

if TYPE_CHECKING:
    from generator.model.record import Record

RECORD_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*/\d{4}$"
"""The JSON Schema's `id` pattern is this constant (tests/test_schema.py checks it)."""
RECORD_ID = re.compile(RECORD_ID_PATTERN)
SLUG_SAFE = re.compile(r"[^a-z0-9]+")


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


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug_version() -> str:
    """This module and the two libraries a slug comes from (generator/memos.py)."""
    from importlib.metadata import version

    from generator.cache import files_fingerprint

    libraries = f"jieba {version('jieba')}, pypinyin {version('pypinyin')}"
    return files_fingerprint(libraries, [("identity.py", Path(__file__))])


SLUGS: PureMemo[str] = PureMemo(
    "slugs", _slug_version, lambda value: isinstance(value, str) and SLUG.match(value) is not None
)
"""Name -> slug, kept between builds: a build that parses no new agency never loads jieba."""


def slugify(name: str) -> str:
    """ASCII pinyin words of a Chinese name, hyphen-joined (伊美区人民政府 -> yimeiqu-renminzhengfu);
    "agency" when nothing is left."""
    known = SLUGS.get(name)
    return known if known is not None else SLUGS.put(name, _slugify(name))


def _slugify(name: str) -> str:
    import jieba
    from pypinyin import lazy_pinyin

    jieba.setLogLevel(60)
    words = []
    for word in jieba.lcut(name):
        ascii_word = SLUG_SAFE.sub("", "".join(lazy_pinyin(word)).lower())
        if ascii_word:
            words.append(ascii_word)
    return "-".join(words)[:80].strip("-") or "agency"


def record_id(agency_name: str | None, year: int | None, source_file: str) -> str | None:
    """`<agency-slug>/<year>`, or None without a year (such a report is listed as
    unreadable, never published). Without an agency name, the slug comes from the file's
    path, so two reports that do not name their agency never share an id."""
    if year is None:
        return None
    if agency_name:
        slug = slugify(agency_name)
    else:
        pure = PurePosixPath(source_file)
        slug = slugify("".join((*pure.parts[:-1], pure.name.split(".")[0])))
    return format_record_id(slug, year)


# ---- strangers never share an id -----------------------------------------------------------


def place_key(record: Record) -> tuple[str, ...]:
    """Where a report sits: its region from the folders, else its folder. Reports of one
    agency and year are versions of one report only when their places agree too."""
    region = record.agency.region
    levels = tuple(name or "" for name in region.names()) if region is not None else ()
    if any(levels):
        return ("region", *levels)
    return ("folder", PurePosixPath(record.source.file).parent.as_posix())


_SUFFIXES: tuple[Callable[[tuple[str, ...]], str], ...] = (
    lambda key: slugify(next((p for p in reversed(key[1:]) if p), "")),
    lambda key: slugify("".join(key[1:]))[:60].strip("-"),
    lambda key: hashlib.sha256("\0".join(key).encode()).hexdigest()[:8],
)
"""Ways to tell places apart, tried in order: the deepest place name, the whole place, a hash."""


def disambiguate_ids(records: Sequence[Record]) -> list[Record]:
    """The records, with different places that share an agency slug given different ids.

    Two reports named 县人民政府办公室 in a 河南省 and a 黑龙江省 folder are two agencies. When a
    slug is used at more than one place (in any year, so one agency keeps one slug across
    years), each place's slug gets a suffix: its deepest place name, else its whole place,
    else a short hash of it; the first of these that tells all the places apart is used."""
    places: dict[str, set[tuple[str, ...]]] = {}
    for record in records:
        places.setdefault(split_record_id(record.key)[0], set()).add(place_key(record))
    suffixes: dict[tuple[str, tuple[str, ...]], str] = {}
    for slug, keys in places.items():
        if len(keys) < 2:
            continue
        ordered = sorted(keys)
        for suffix_of in _SUFFIXES:
            chosen = [suffix_of(key) for key in ordered]
            if len(set(chosen)) == len(chosen) and all(chosen):
                suffixes.update(((slug, key), s) for key, s in zip(ordered, chosen, strict=True))
                break
    out = []
    for record in records:
        slug, year = split_record_id(record.key)
        suffix = suffixes.get((slug, place_key(record)))
        out.append(
            dataclasses.replace(record, id=format_record_id(f"{slug}-{suffix}", year))
            if suffix
            else record
        )
    return out
