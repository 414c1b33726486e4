"""Who and where: the record id (`<agency-slug>/<year>`) and the region from the folders.

The slug is the agency name in pinyin, one hyphen between words (jieba segments the name),
ASCII [a-z0-9-] only, so an id built from report text can never leave the output folder.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from generator.model import format_record_id

SLUG_SAFE = re.compile(r"[^a-z0-9]+")
REGION_LEVELS = (
    ("province", re.compile(r"(省|自治区|(北京|天津|上海|重庆)市?)$")),
    ("city", re.compile(r"(市|自治州|地区|盟)$")),
    ("county", re.compile(r"(区|县|旗|自治县|县级市)$")),
    ("township", re.compile(r"(乡|镇|街道|苏木)$")),
)


@lru_cache(maxsize=4096)
def slugify(name: str) -> str:
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
    """`<agency-slug>/<year>` (generator.model.identity), or None without a year (such a
    report is listed as unreadable, never published). Without an agency name, the slug comes
    from the file's path, so two reports that do not name their agency never share an id."""
    if year is None:
        return None
    if agency_name:
        slug = slugify(agency_name)
    else:
        pure = PurePosixPath(source_file)
        slug = slugify("".join((*pure.parts[:-1], pure.name.split(".")[0])))
    return format_record_id(slug, year)


def region_from_path(relative_path: str) -> dict | None:
    """{province, city, county, township} from folder names like 福建省/三明市/建宁县/…,
    or None when no folder is an administrative name. Levels must come in order."""
    region = dict.fromkeys(("province", "city", "county", "township"))
    level_index = 0
    found = False
    for part in PurePosixPath(relative_path).parts[:-1]:
        for index, (level, pattern) in enumerate(REGION_LEVELS):
            if index >= level_index and pattern.search(part):
                region[level] = part
                level_index = index + 1
                found = True
                break
    return region if found else None
