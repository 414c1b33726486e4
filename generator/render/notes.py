"""Parse warnings as a reader reads them: Chinese, grouped, with the line, never a code or a
key path (the record keeps both for maintainers and for the downloads)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import ParseWarning, Record
from generator.model.places import place_name

GROUPS = ("单元格", "行与表格", "章节与格式版本", "文件与文字识别", "信息来源")
"""The order the groups are shown in (each folded, with its count)."""

# code -> (group, sentence); {place} the official name of the cell, row or table, {text} the
# text as printed.
NOTES = {
    "blank-cell": ("单元格", "{place}：空白，按未填写处理（不作 0）"),
    "placeholder-cell": ("单元格", "{place}：填写“{text}”，按未填写处理"),
    "bad-number": ("单元格", "{place}：“{text}”不是数字，按未填写处理"),
    "decimal-count": ("单元格", "{place}：件数填写了小数“{text}”，按未填写处理"),
    "unit-suffix": ("单元格", "{place}：数字带单位“{text}”，已读出其中的数字"),
    "negative-number": ("单元格", "{place}：件数为负数“{text}”"),
    "ocr-unconfirmed": ("单元格", "{place}：OCR 未能确认“{text}”，按未能读取处理"),
    "missing-row": ("行与表格", "{place}：报告中没有这一行，各格按未填写处理"),
    "extra-row": ("行与表格", "{place}中有一行“{text}”不属于官方格式，其数字未采用"),
    "duplicate-row": ("行与表格", "{place}：这一行出现了两次，采用第一次的数字"),
    "ambiguous-row": (
        "行与表格",
        "{place}：这一行的数字无法确定各属哪一列，为免错列，整行按未能读取处理",
    ),
    "label-missing": ("行与表格", "{place}：这一行没有行名，按官方表格中该位置的行读取"),
    "truncated": ("行与表格", "文本在{place}中途结束，其后各行按未填写处理"),
    "missing-table": ("行与表格", "没有找到{place}"),
    "label-variant": ("行与表格", "{place}：报告写作“{text}”，按官方名称读取"),
    "ocr-label-matched": ("行与表格", "OCR 识别的栏目名“{text}”按官方名称读取"),
    "missing-section": ("章节与格式版本", "没有找到{place}"),
    "section-by-content": ("章节与格式版本", "没有找到{place}的标题，按表格内容定位"),
    "mixed-edition": ("章节与格式版本", "表格同时含有 2019 年版和 2021 年版格式的栏目"),
    "no-edition": ("章节与格式版本", "没有找到任何一版格式的表格栏目，无法确定格式版本"),
    "traditional-chinese": ("文件与文字识别", "报告为繁体字，已转换为简体后识别栏目"),
    "debris-removed": ("文件与文字识别", "删除了文件转换留下的残余“{text}”"),
    "encoding-guessed": ("文件与文字识别", "文件不是 UTF-8 编码，已按推断的编码读取"),
    "pdf-truncated": ("文件与文字识别", "PDF 文件可能不完整（缺少结束标记）"),
    "page-without-text": (
        "文件与文字识别",
        "PDF 第 {text} 页没有文字层，且本机没有安装 OCR 引擎，这些页的内容缺失",
    ),
    "page-furniture-removed": ("文件与文字识别", "删除了页码和页眉页脚"),
    "ocr": ("文件与文字识别", "报告由 OCR 从页面图像识别"),
    "ocr-pages": (
        "文件与文字识别",
        "PDF 第 {text} 页没有文字层（扫描页），这些页由 OCR 从页面图像识别，请对照原始文件",
    ),
    "agency-name-source": ("信息来源", "机关名称“{agency}”取自{source}"),
    "year-source": ("信息来源", "报告年度取自{source}"),
}
NAME_SOURCES = {
    "title": "标题",
    "title-line": "标题上下的一行",
    "signature": "落款",
    "text": "正文中报告对本机关的称呼",
    "preamble": "正文前的机关名称行",
    "page": "网页的发布机构信息",
    "file": "文件名",
    "folder": "所在文件夹的名称",
}
YEAR_SOURCES = (
    ("statistical period", "统计期限"),
    ("the text", "正文"),
    ("file name", "文件名"),
)
PAGE = re.compile(r"^page (\d+): ")
PLACE_ONLY = re.compile(r"names only the place '([^']+)'")


@dataclass(frozen=True, slots=True)
class Note:
    line: int | None
    """The line in the source file, when the warning names one."""
    text: str
    """The sentence shown (Chinese, no codes or key paths)."""
    where: str | None
    """The key path, for the link to the cell (an anchor, never shown as text)."""


def describe(warning: ParseWarning, record: Record) -> tuple[str, Note]:
    """(group, note) of one parse warning."""
    group, sentence = NOTES.get(warning.code, ("文件与文字识别", "其他解析提示"))
    place = place_name(warning.where, record.edition) or "表格"
    page = PAGE.match(warning.message or "")
    if page:
        place = f"第 {page.group(1)} 页 {place}"
    source = ""
    if warning.code == "agency-name-source":
        source = NAME_SOURCES.get(record.agency.name_source or "", "报告正文")
        only = PLACE_ONLY.search(warning.message or "")
        if only:
            sentence = f"标题只写了地名“{only.group(1)}”，机关全称“{{agency}}”取自{{source}}"
    elif warning.code == "year-source":
        source = next((zh for en, zh in YEAR_SOURCES if en in (warning.message or "")), "正文")
    text = sentence.format(
        place=place,
        text=warning.text or "",
        agency=record.agency.name or "",
        source=source,
    )
    return group, Note(warning.line, text, warning.where)


def parse_notes(record: Record) -> list[tuple[str, list[Note]]]:
    """The record's parse warnings as notes, grouped in GROUPS order (empty groups left out)."""
    grouped: dict[str, list[Note]] = {group: [] for group in GROUPS}
    for warning in record.parse.warnings:
        group, note = describe(warning, record)
        grouped.setdefault(group, []).append(note)
    return [(group, notes) for group, notes in grouped.items() if notes]
