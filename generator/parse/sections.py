"""Find the six section headings (一…六, format-and-rules.md §1 and §8) and cut the
narrative into sections. Headings are recognised by numeral + keyword, whatever Markdown
level or bracket style the report used; a heading without its numeral is accepted when the
line is the section's full official title."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.document import Block, Document, Paragraph
from generator.parse.normalize import norm
from generator.record import SECTION_KEYS

NUMERALS = "一二三四五六"
NUMBERED = re.compile(r"^第?([一二三四五六])(?:[、.,:]|部分)(.*)$")
HEADING_MAX = 40
"""A heading is a short line; running text that happens to start with 一、 is longer."""

# Keywords per section, checked on the normalised text after the numeral (§8 variants).
KEYWORDS = {
    "overview": re.compile(r"^(总体|基本|工作)?(情况|概况|概述)$|总体情况|总体概况"),
    "proactive": re.compile(r"主动公开"),
    "requests": re.compile(
        r"收到和处理|依申请公开(政府信息)?(工作)?(的)?(办理)?情况|申请(的)?(办理|处理|受理)情况"
    ),
    "appeals": re.compile(r"行政复议|行政诉讼"),
    "problems": re.compile(r"问题|改进|整改"),
    "other": re.compile(r"其他需要报告|其他事项|需要报告的"),
}
# Full official titles, accepted without a numeral (§1, §8).
UNNUMBERED_TITLES = {
    "overview": ("总体情况",),
    "proactive": ("主动公开政府信息情况", "行政机关主动公开政府信息情况"),
    "requests": ("收到和处理政府信息公开申请情况",),
    "appeals": ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议,行政诉讼情况"),
    "problems": ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"),
    "other": ("其他需要报告的事项",),
}
EXCLUDE = re.compile(r"数量|申请数|\d")
"""Table row labels (一、本年新收…数量) that a broken table may leave as paragraphs."""


@dataclass(frozen=True, slots=True)
class Heading:
    section: str
    index: int
    """Position in Document.blocks."""
    line: int
    text: str


def find_headings(blocks: tuple[Block, ...], texts: list[str | None]) -> list[Heading]:
    """Section headings in document order; the first occurrence of each section counts.

    texts: the matching form (simplified, normalised) of each block, None for tables.
    """
    found: dict[str, Heading] = {}
    for index, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        if not isinstance(block, Paragraph) or text is None or len(text) > HEADING_MAX:
            continue
        section = classify_heading(text)
        if section and section not in found:
            found[section] = Heading(section, index, block.line, block.text)
    return sorted(found.values(), key=lambda h: h.index)


def classify_heading(text: str) -> str | None:
    """Section key of a normalised heading line, or None."""
    match = NUMBERED.match(text)
    if match:
        numeral, rest = match.groups()
        if EXCLUDE.search(rest):
            return None
        for key, pattern in KEYWORDS.items():
            if pattern.search(rest) and NUMERALS[SECTION_KEYS.index(key)] == numeral:
                return key
        # Numeral and keyword disagree: trust the keyword (order is checked by STR-02).
        for key, pattern in KEYWORDS.items():
            if pattern.search(rest) and key != "overview":
                return key
        return None
    for key, titles in UNNUMBERED_TITLES.items():
        if any(text == norm(title) for title in titles):
            return key
    return None


def split_sections(
    blocks: tuple[Block, ...], headings: list[Heading], end: int, skip: set[int] | None = None
) -> tuple[list[Paragraph], dict[str, list[Paragraph]]]:
    """Paragraphs before the first heading (preamble) and per section; tables and the
    paragraphs that were table cells (`skip`) are left out. `end` is the index where the
    signature block starts (excluded)."""
    skip = skip or set()
    preamble: list[Paragraph] = []
    sections: dict[str, list[Paragraph]] = {}
    starts = {h.index: h.section for h in headings}
    current: str | None = None
    previous_heading_text = None
    for index, block in enumerate(blocks[:end]):
        if index in starts:
            current = starts[index]
            sections[current] = []
            previous_heading_text = norm(block.text) if isinstance(block, Paragraph) else None
            continue
        if not isinstance(block, Paragraph) or index in skip:
            continue
        if previous_heading_text and norm(block.text) == previous_heading_text:
            continue  # the same heading printed twice (seed 001)
        previous_heading_text = None
        (sections[current] if current else preamble).append(block)
    return preamble, sections


def section_markdown(paragraphs: list[Paragraph]) -> str:
    """Narrative of a section: one paragraph per source paragraph, text as printed (the
    source's Markdown heading levels are too inconsistent to keep)."""
    return "\n\n".join(p.text for p in paragraphs)


RUN_IN_TITLE = re.compile(
    r"(?:^|(?<=\s))([一二三四五六][、.．]\s*(?:主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|政府信息公开行政复议[、,，]\s*行政诉讼情况|存在的主要问题及改进情况|其他需要报告的事项))(?=\s|$)"
)
"""An official section title inside a longer line (a whole table flattened onto one line
with its heading: `二、主动公开政府信息情况 第二十条第(一)项 信息内容 …`)."""


def split_run_in_titles(doc: Document) -> Document:
    """A copy of doc where every line holding an official section title among other text
    is cut into the text before, the title, and the text after (same line number), so the
    title is found as a heading and the table text as table cells."""
    blocks: list[Block] = []
    changed = False
    for block in doc.blocks:
        if not isinstance(block, Paragraph) or len(block.text) <= HEADING_MAX:
            blocks.append(block)
            continue
        parts, position = [], 0
        for match in RUN_IN_TITLE.finditer(block.text):
            parts += [block.text[position : match.start(1)], match.group(1)]
            position = match.end(1)
        if not parts:
            blocks.append(block)
            continue
        parts.append(block.text[position:])
        for part in parts:
            if part.strip():
                blocks.append(replace(block, text=part.strip(), heading=None))
        changed = True
    return replace(doc, blocks=tuple(blocks)) if changed else doc
