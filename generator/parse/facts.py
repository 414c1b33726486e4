"""Facts outside the tables: title, agency, year, signature date, statistical period, contact.

Each fact is read only where the report states it; a fact not found is None (record.md).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import TypedDict

from generator.document import Paragraph
from generator.parse.normalize import FULLWIDTH, norm

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DATE = re.compile(
    r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*度?")
PERIOD = re.compile(
    r"统计(?:期限|时限|期间|时间段?|区间)[^。]{0,12}?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*"
    r"(?:至|到|—|-|–|~)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
ADDRESS = re.compile(r"(?:联系|通讯|办公)?地址\s*[:：]\s*([^，,；;。）)\n]+)")
POSTCODE = re.compile(r"邮\s*编\s*[:：]?\s*(\d{6})")
PHONE = re.compile(r"(?:联系|咨询)?电\s*话\s*[:：]?\s*((?:\d[\d\-－—–() （）]{5,}\d))")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
WEBSITE = re.compile(r"https?://[A-Za-z0-9./_%?=&#:~+-]+")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
"""An HTML tag pasted into report text (`<iframe src="https://…">`): its URLs are not contacts."""
AGENCY_SUFFIX = re.compile(
    r"(人民政府|政府|办公室|政府办|局|委员会|委|厅|办|中心|院|署|所|站|队|处|会|街道办事处|管委会)$"
)
PLACE_ONLY = re.compile(r"^.{1,12}(省|市|区|县|旗|乡|镇|街道|自治州|自治县|盟)$")
SIGNATURE_NAME = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|办公室|局|委员会|委|厅|办|中心|办事处|乡|镇|街道)$"
)
TITLE_WORDS = re.compile(r"年度报告|工作报告|信息公开")


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            CN_DIGITS.get(ones, 0) if ones else 0
        )
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def find_date(text: str) -> date | None:
    """The first complete date in text (Arabic or Chinese numerals); None if invalid."""
    text = text.translate(FULLWIDTH)
    match = DATE.search(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = CN_DATE.search(text)
        if match:
            return date(_cn_number(match[1]), _cn_number(match[2]), _cn_number(match[3]))
    except ValueError:
        return None
    return None


CHROME = re.compile(
    r"首页|您当前|当前位置|所在的?位置|当前页面|来源[:：]|发布(?:时间|日期|机构)|时间[:：]|字号|打印|分享"
    r"|浏览|阅读次数|点击|索引号|发文机关|>|›|»|【|】|www\.|https?:"
)
"""Web-page chrome around a report copied from its page (breadcrumbs, metadata): never the title."""
TITLE = re.compile(
    r"(?:政府信息公开|政务公开|信息公开).{0,10}?(?:年度报告|工作报告|年报)|年度报告$"
)
NOT_TITLE_START = re.compile(r"^(?:根据|按照|现将|本报告|依据|为|我)")


def find_title(paragraphs: list[Paragraph]) -> list[int]:
    """Positions of the title lines among the first paragraphs (matching form); a title
    split over two lines ("伊美区人民政府" / "2021 年…年度报告") gives two positions.
    Page chrome (首页 > 政府信息公开 > …, 来源: 时间:) and sentences are skipped."""
    for i, p in enumerate(paragraphs):
        text = norm(p.text)
        if (
            TITLE.search(text)
            and len(p.text) <= 80
            and not CHROME.search(text)
            and "。" not in text
            and not NOT_TITLE_START.match(text)
        ):
            if i >= 1 and _is_title_head(paragraphs[i - 1], p):
                return [i - 1, i]
            return [i]
    return []


def _is_title_head(head: Paragraph, title: Paragraph) -> bool:
    text = norm(head.text)
    return (
        len(text) <= 30
        and not TITLE_WORDS.search(text)
        and norm(title.text)[:1].isdigit()
        and bool(AGENCY_SUFFIX.search(text) or PLACE_ONLY.match(text))
    )


def agency_from_title(title: str | None) -> str | None:
    """The name before the year: "宜阳县人民政府办公室2021年…" -> 宜阳县人民政府办公室."""
    if not title:
        return None
    text = norm(title)
    match = TITLE_YEAR.search(text)
    name = text[: match.start()] if match else re.split(r"政府信息公开", text)[0]
    name = name.strip("《》\"'")
    return name or None


def is_place_only(name: str) -> bool:
    return bool(PLACE_ONLY.match(name)) and not AGENCY_SUFFIX.search(name)


def full_name_in_text(place: str, texts: list[str]) -> str | None:
    """ "尖山区" -> "尖山区人民政府" when the report calls itself that."""
    pattern = re.compile(re.escape(place) + r"(人民政府(?:办公室)?)")
    for text in texts:
        match = pattern.search(norm(text))
        if match:
            return place + match.group(1)
    return None


def year_from_title(title: str | None) -> int | None:
    if not title:
        return None
    match = TITLE_YEAR.search(norm(title))
    if match:
        return int(match.group(1))
    found = find_date(title + "1月1日") if CN_DATE.search(title + "一月一日") else None
    return found.year if found else None


FILE_NAME_NOISE = (
    re.compile(r"政府信息公开工作年度报告|政府信息公开|年度报告|工作报告|年报|报告"),
    re.compile(r"\d{4}\s*年?度?|[-_—·\s.()（）]+"),
)
"""Report words first (2021年报 -> 2021), then years and separators."""


def year_from_file_name(path: str) -> int | None:
    """A four-digit year 1990-2100 in the file name (伊家乡人民政府-2020年报.txt -> 2020)."""
    stem = PurePosixPath(path).name.split(".")[0]
    for match in re.finditer(r"(?<!\d)(\d{4})(?!\d)", stem):
        if 1990 <= int(match.group(1)) <= 2100:
            return int(match.group(1))
    return None


def agency_from_path(path: str) -> tuple[str, str] | None:
    """(name, "file" | "folder") when the report never names its agency: the file name without
    the year and report words (卫东区政府办-2021年报.txt -> 卫东区政府办), else the folder."""
    pure = PurePosixPath(path)
    stem = norm(pure.name.split(".")[0])
    name = stem
    for noise in FILE_NAME_NOISE:
        name = noise.sub("", name)
    if len(name) >= 2 and re.search(r"[\u4e00-\u9fff]", name):
        return name, "file"
    if len(pure.parts) > 1:
        return norm(pure.parts[-2]), "folder"
    return None


def split_signature(paragraphs: list[Paragraph]) -> tuple[int, str | None, date | None, int | None]:
    """The 落款 at the end: (number of trailing paragraphs it uses, signer, date, line)."""
    signer = None
    when = None
    line = None
    used = 0
    for p in reversed(paragraphs[-3:]):
        text = norm(p.text)
        if (
            when is None
            and len(text) <= 16
            and find_date(text)
            and re.fullmatch(r"[\d年月日〇零○一二三四五六七八九十]+", text)
        ):
            when, line = find_date(text), p.line
            used += 1
        elif signer is None and SIGNATURE_NAME.match(text) and used:
            signer = text
            used += 1
        else:
            break
    return used, signer, when, line


class PeriodFields(TypedDict):
    """The statistical period as find_period reads it (ISO dates); model.Period is made from it."""

    start: str
    end: str


class ContactFields(TypedDict):
    """The contact details as find_contact reads them; None where the report states none."""

    address: str | None
    postcode: str | None
    phone: str | None
    email: str | None
    website: str | None


def find_period(texts: list[str]) -> PeriodFields | None:
    for text in texts:
        match = PERIOD.search(text.translate(FULLWIDTH))
        if match:
            try:
                start = date(int(match[1]), int(match[2]), int(match[3]))
                end = date(int(match[4]), int(match[5]), int(match[6]))
            except ValueError:
                return None
            return {"start": start.isoformat(), "end": end.isoformat()}
    return None


def find_contact(texts: list[str]) -> ContactFields | None:
    """Contact details the report states (preamble and section 六 first)."""
    contact: dict[str, str] = {}
    for text in texts:
        text = HTML_TAG.sub(" ", text.translate(FULLWIDTH))
        for key, pattern in (("address", ADDRESS), ("postcode", POSTCODE), ("phone", PHONE)):
            if key not in contact and (match := pattern.search(text)):
                contact[key] = match.group(1).strip()
        if "email" not in contact and (match := EMAIL.search(text)):
            contact["email"] = match.group(0)
        if "website" not in contact and (match := WEBSITE.search(text)):
            contact["website"] = match.group(0)
    if not contact:
        return None
    return {
        "address": contact.get("address"),
        "postcode": contact.get("postcode"),
        "phone": contact.get("phone"),
        "email": contact.get("email"),
        "website": contact.get("website"),
    }


YEAR_IN_TEXT = (
    re.compile(
        r"(20\d{2})\s*年度?\s*(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:情况)?(?:的)?(?:年度)?报告"
    ),
    re.compile(r"统计(?:期限|时限|期间|时间段?|区间)[^。]{0,12}?(20\d{2})\s*年"),
    re.compile(r"现将[^。]{0,30}?(20\d{2})\s*年"),
    re.compile(r"截[止至]\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日"),
    re.compile(r"(20\d{2})\s*年度?\s*政府信息公开(?:工作)?(?:的|情况|工作)"),
    re.compile(
        r"^(?:(?:\([一二三四五六]\)|\d+[.、])[^。]{0,16}[。.])?(20\d{2})\s*年度?(?:以来)?\s*"
        r"(?:[,，]|我|本|全|累计|共|主动|收到)"
    ),
)
"""Where a report's text says its year, most telling first: naming the report
(2022年度政府信息公开工作年度报告), the statistical period, "现将…2022年…", a paragraph that
opens with the year (2025年,区农业农村局…)."""


def year_in_text(paragraphs: list[Paragraph]) -> int | None:
    for pattern in YEAR_IN_TEXT:
        for paragraph in paragraphs:
            match = pattern.search(norm(paragraph.text))
            if match:
                return int(match.group(1))
    return None
