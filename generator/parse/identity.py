"""Who and where: the region from the folders (the record id is generator.model.identity's)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal, TypedDict

RegionLevel = Literal["province", "city", "county", "township"]


class RegionFields(TypedDict):
    """The administrative levels named by the folders (None where no folder names one);
    model.Region is made from it."""

    province: str | None
    city: str | None
    county: str | None
    township: str | None


REGION_LEVELS: tuple[tuple[RegionLevel, re.Pattern[str]], ...] = (
    ("province", re.compile(r"(省|自治区|(北京|天津|上海|重庆)市?)$")),
    ("city", re.compile(r"(市|自治州|地区|盟)$")),
    ("county", re.compile(r"(区|县|旗|自治县|县级市)$")),
    ("township", re.compile(r"(乡|镇|街道|苏木)$")),
)


def region_from_path(relative_path: str) -> RegionFields | None:
    """{province, city, county, township} from folder names like 福建省/三明市/建宁县/…,
    or None when no folder is an administrative name. Levels must come in order."""
    region: RegionFields = {"province": None, "city": None, "county": None, "township": None}
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
