"""Who reports: the agency's name from the places a report names itself, never from a heading
or a stray sentence.

Sources, in order (the first that gives a valid name wins; each is recorded as name_source):

    title      the name before the year in the title (宜阳县人民政府办公室2021年…)
    title-line a line of its own just above or below the title (盐边县新九镇人民政府)
    signature  the 落款 at the end
    text       the report naming itself in a sentence: "现将XX2022年度政府信息公开工作年度报告",
               "XX2022年政府信息公开工作年度报告", or the subject of the overview's first
               sentence ("2025年,区农业农村局坚持…")
    preamble   a line of its own before section 一 that is an agency name
    page       the web page's own metadata (发布机构: / 来源:)

A valid name is short, made of CJK characters (and brackets), ends like an agency (局, 办公室,
人民政府, 镇, 街道办事处, 管委会, …), and is neither a pronoun (我局), a heading (三、…) nor
text about the report (情况, 报告, 公开).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.document import Paragraph
from generator.parse.normalize import norm

AGENCY_END = re.compile(
    r"(人民政府|政府|办公室|办公厅|政府办|局|委员会|委|厅|办|中心|院|馆|署|所|站|队|处|会|办事处|街道|"
    r"管委会|管理委员会|乡|镇|苏木|公司|园|区|县|市|旗|盟|州|街|社|部)$"
)
NOT_A_NAME = re.compile(
    r"情况|报告|工作$|申请|公开|条例|规定|通知|首页|位置|栏目|信息|年度|方面|要求|网站|统计期|统计时|以下|委.{0,2}政府"
)
NOT_A_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]+\)|关于|根据|按照|现将|我|本|全|各|该|对|在|经|为|由|截至|自|并|和|及|向)"
)
NAME_CHARS = re.compile(r"^[\u4e00-\u9fff()·]{2,30}$")
TAIL_WORDS = re.compile(r"(?:的)?(?:政府信息公开|政务公开|信息公开|政务信息)?(?:工作)?$")

REPORT_TITLE = r"(?:20\d{2})\s*年度?\s*(?:政府信息公开|政务公开|信息公开)"
NAMES_ITSELF = (
    re.compile(
        r"(?:现将|现公布|向社会公布|公布|特编制|编制|现就|发布)\s*(?P<name>[\u4e00-\u9fff()]{2,30}?)"
        + REPORT_TITLE
    ),
    re.compile(r"(?:^|[《“\":：\s])(?P<name>[\u4e00-\u9fff()]{2,30}?)" + REPORT_TITLE),
)
SUBJECT = re.compile(
    r"^(?:(?:\([一二三四五六]\)|\d+[.、])[^。]{0,16}[。.])?"
    r"(?:(?:20\d{2}\s*年度?|本年度|今年)(?:以来)?\s*[,，]?\s*)?"
    r"(?:(?:按照|根据|在)[^,，。]{0,80}?[,，]\s*)?"
    r"(?P<name>[\u4e00-\u9fff()]{2,30}?)"
    r"(?:认真|坚持|深入|严格|按照|全面|切实|积极|紧紧|继续|进一步|高度|始终|不断|聚焦|围绕|以|在|紧扣|强化|"
    r"扎实|贯彻|立足|结合|加强|着力|持续|通过|共|主动|依托|把|将|紧密|牢固|大力|依照|秉持|代表|负责|作为|"
    r"组织|制定|开展|落实|推进|完成|做好|注重|建立|健全|完善|优化)"
)
ANNOUNCING = re.compile(r"现将|现公布|向社会公布|公布|特编制|编制|现就|发布|印发")
"""Words that announce the report before its name (编制并向社会公布邓南街2021年度…)."""
CONTACT = re.compile(r"请与(?P<name>[\u4e00-\u9fff()]{2,40}?)(?:联系|联络)")
"""The contact sentence: 如对本报告有疑问，请与XX镇人民政府党政办公室联系."""
PAGE_META = re.compile(
    r"(?:发布机构|来源|信息来源|发文机关)\s*[:：]\s*\|?\s*(?P<name>[\u4e00-\u9fff()]{2,30})"
)
COMPILED_BY = re.compile(r"由(?P<name>[\u4e00-\u9fff()]{2,30}?)(?:负责)?编制")
GENERIC = {
    "园区",
    "本局",
    "我局",
    "街道",
    "乡镇",
    "机关",
    "部门",
    "单位",
    "分局",
    "全区",
    "全县",
    "全市",
    "全镇",
    "全乡",
    "本办",
    "我办",
}
"""Words that stand for an agency in a sentence without naming it."""


def clean(text: str) -> str:
    """A candidate in matching form, without a trailing 政府信息公开工作 and quotes."""
    name = norm(text).strip("《》\"'“”:：,，")
    return TAIL_WORDS.sub("", name) if len(name) > 2 else name


def is_agency_name(text: str | None) -> bool:
    if not text:
        return False
    return (
        bool(NAME_CHARS.match(text))
        and bool(AGENCY_END.search(text))
        and not NOT_A_NAME.search(text)
        and not NOT_A_START.match(text)
    )


def name_in_title(title: str | None) -> str | None:
    """The name before the year ("宜阳县人民政府办公室2021年…" -> 宜阳县人民政府办公室), or after
    a year that opens the title ("2023年度沅江路街道信息公开工作报告" -> 沅江路街道)."""
    if not title:
        return None
    text = norm(title)
    match = re.search(r"(\d{4})\s*年\s*度?", text)
    if match and match.start() == 0:
        name = re.split(r"政府信息公开|政务公开|信息公开|年度报告", text[match.end() :])[0]
    else:
        name = text[: match.start()] if match else re.split(r"政府信息公开", text)[0]
    name = clean(name)
    return name if is_agency_name(name) else None


def name_on_a_line(paragraph: Paragraph) -> str | None:
    name = clean(paragraph.text)
    return name if is_agency_name(name) else None


OFFICE_OF = re.compile(r"(?<=政府)(?:党政办公室|党政办)$")
"""The office that compiles a township's report (由XX镇人民政府党政办公室编制, 请与…党政办联系):
the reporting agency is the government it belongs to."""


def _named(text: str) -> str | None:
    """A name found in a sentence: valid, and not a word that only stands for one (园区)."""
    name = OFFICE_OF.sub("", clean(text))
    return name if is_agency_name(name) and len(name) >= 3 and name not in GENERIC else None


def name_in_text(paragraphs: Sequence[Paragraph]) -> str | None:
    """The report naming itself ("现将XX2022年度政府信息公开…", "由XX编制"), else the subject of
    the first sentence that opens with the year ("2025年,区农业农村局坚持…")."""
    for pattern in (*NAMES_ITSELF, COMPILED_BY):
        for paragraph in paragraphs:
            for match in pattern.finditer(norm(paragraph.text)):
                name = _named(ANNOUNCING.split(match.group("name"))[-1])
                if name:
                    return name
    for paragraph in paragraphs:
        subject = SUBJECT.match(norm(paragraph.text))
        if subject and (name := _named(subject.group("name"))):
            return name
    for paragraph in paragraphs:
        for match in CONTACT.finditer(norm(paragraph.text)):
            if name := _named(match.group("name")):
                return name
    return None


def name_in_page_meta(paragraphs: Sequence[Paragraph]) -> str | None:
    for paragraph in paragraphs:
        for match in PAGE_META.finditer(norm(paragraph.text)):
            name = _named(match.group("name"))
            if name:
                return name
    return None
