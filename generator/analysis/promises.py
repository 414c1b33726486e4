"""Promises kept: the commitments of a year's section 五, matched against the next year.

Section 五 (存在的主要问题及改进情况) names problems and the improvements the agency commits
to. `extract_items` splits it into items, each a problem or a commitment with its sentence and
line: enumerated items (一是…二是…, （一）…（二）…, 1.…), and free sentences that commit
(下一步，我们将…, 今后…, 2023年将…) or name a problem. Headings (存在的主要问题：, 下一步工作
打算：, （二）整改措施) set whether the items below them are problems or commitments.

`match_year` compares each item of year Y with the same agency's report of Y+1:

    repeated  a sentence of Y+1's section 五 says the same again (the same problem, or the same
              specific commitment), nearly word for word: cosine >= REPEAT_THRESHOLD, and it
              reports no result (no 已…, no count);
    done      a sentence of Y+1's section 一 (what was done that year), or a sentence of its
              section 五 that reports a result (已…, 完成, a count: 4次, 12个), contains the
              commitment: containment >= DONE_THRESHOLD;
    silent    neither.

An item is `generic` when nothing specific is left once the words every report uses are
removed (加强领导，落实责任 / 提高质量和水平 / 认识有待提高): it is listed, never matched.
Every match carries both sentences and where they are; a score is never shown alone.

Similarity (measured on the hand-labelled pairs of tests/fixtures/analysis/promise_pairs.yml,
bench/promises.py, figures in bench/README.md): character bigrams of the text after NFKC
normalisation, with numbers, years, enumerators, punctuation and a list of generic phrases
(GENERIC_PHRASES: frame words, slogans and the domain's own nouns) removed; a bigram never
spans a removed phrase. Chinese has no spaces, and a word segmenter splits the domain's
compounds unpredictably (政务新媒体 -> 政务/新/媒体), so overlapping character pairs are the
robust unit; they were compared with jieba words in the bench. `repeated` uses the cosine
|A∩B| / √(|A|·|B|) of the two bigram sets (two statements of one problem are of similar
length; a long sentence that merely contains a short one scores low), `done` the containment
|A∩B| / |A| of the commitment in the sentence (a report of work done is longer and says more
than the promise). Either needs at least MIN_CONTENT_BIGRAMS bigrams in common.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from generator.analysis.common import AgencyRef, Region

ItemKind = Literal["problem", "commitment"]
Outcome = Literal["done", "repeated", "silent", "generic"]
Section = Literal["overview", "problems"]
SECTION_LABELS: Final[dict[Section, str]] = {"overview": "一、总体情况", "problems": "五"}

REPEAT_THRESHOLD: Final = 0.40
"""Cosine at or above which a Y+1 section 五 sentence repeats a Y item."""
DONE_THRESHOLD: Final = 0.35
"""Containment of a commitment in a Y+1 sentence at or above which it is reported done."""
MIN_CONTENT_BIGRAMS: Final = 2
"""An item with fewer specific bigrams than this is generic (boilerplate) and not matched."""
MIN_DONE_SENTENCE: Final = 10
"""Characters a section 一 sentence needs to count as evidence of work done (shorter ones are
sub-headings: （二）政策解读。)."""
SHORT_TEXT: Final = 40
"""Characters of an item's short text (its first clause) before it is cut with …."""


# ---- items ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One problem or commitment of a section 五.

    `text` is the short item (its first clause, at most SHORT_TEXT characters), `sentence` the
    whole item as printed (white space collapsed), `line` the 1-based line of the section text
    on which it starts (add the section's first line in the report for a source line),
    `marker` what introduced it (一是, （二）, 1., 下一步, 今后, 2023年将, 将, or "" for a
    sentence that names a problem), `generic` whether nothing specific is left to match."""

    kind: ItemKind
    text: str
    sentence: str
    line: int
    marker: str
    generic: bool


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a report section, with its 1-based line in that section's text."""

    section: Section
    text: str
    line: int


_NUMERAL = "一二三四五六七八九十"
_ENUMERATOR = re.compile(
    rf"(?:(?<=^)|(?<=[。；;：:！!？?，,\s]))"
    rf"(?P<marker>[{_NUMERAL}]{{1,3}}是|第[{_NUMERAL}]{{1,3}}(?=[，,、])|"
    rf"[（(][{_NUMERAL}\d]{{1,3}}[）)]|(?<![\d.])\d{{1,2}}[.、．](?!\d))"
)
_LEADING_MARKS = re.compile(r"^[\s#>\-]+")
_EMPHASIS = re.compile(r"\*+")
_TERMINAL = re.compile(r"[。；;！!？?：:”\"」）)]$")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")

_PROBLEM_HEADING = re.compile(r"(存在的?(主要)?问题|主要问题|问题(和|与)不足|不足之处|问题)")
_PLAN_HEADING = re.compile(
    r"(改进|整改|措施|下一步|打算|计划|今后|努力方向|工作思路|工作重点|工作安排|工作设想)"
)
_PLAN_CUE = re.compile(
    r"^.{0,12}?(?P<cue>下一步|今后|明年|新的一年|(?:19|20)\d{2}年(?:度)?[^，。]{0,12}?将|"
    r"(?:我们|我局|我办|我委|我区|我县|我市|我乡|我镇|[^，。]{1,12}?(?:政府|局|办|委|中心))将)"
)
_PROBLEM_CUE = re.compile(
    r"不够|不足|有待|缺乏|欠缺|缺少|单一|滞后|不高|不强|不及时|不到位|不规范|不全面|不深入|不畅|"
    r"薄弱|短板|较少|偏少|偏低|不平衡|参差不齐|流于形式|差距"
)
_IS_COMMITMENT = re.compile(
    r"^(?:针对[^，。]*?(?:问题|不足)[，,]\s*)?(?:要|将|需|应|进一步|继续|持续|不断|切实|着力|"
    r"加强|强化|推进|推动|提升|提高|做好|抓好|落实|完善|健全|建立|规范|优化|拓宽|丰富|创新|"
    r"坚持|围绕|深化|加大|加快|扩大|注重|严格|配齐|探索|开展|组织|编制|制定|确保|及时|全面|"
    r"积极|认真|聚焦|紧扣|立足|突出)"
)
_AIMED_AT = re.compile(r"^针对[^，。]*?(?:问题|不足)[，,]")
_INTRO = re.compile(r"取得[^。；]{0,12}(?:成效|成绩|进展|成果)[^。；]*?(?:但|然而|同时)")
"""The sentence that announces the problems (…取得了一定成效，但…还存在…不足): not an item."""


def _clean_line(line: str) -> str:
    """A line without Markdown marks (# headings, > quotes, **bold** becomes a space so that a
    bold **一是** still starts an item); the characters are kept as printed."""
    return _LEADING_MARKS.sub("", _EMPHASIS.sub(" ", line)).strip()


def _is_heading(line: str) -> ItemKind | None:
    """problem / commitment for a heading line that names what follows, else None."""
    body = _ENUMERATOR.sub("", line, count=1) if _ENUMERATOR.match(line) else line
    body = body.strip().rstrip("：:")
    if not body or len(body) > 16 or re.search(r"[。；;，,]", body):
        return None
    if _PLAN_HEADING.search(body):
        return "commitment"
    if _PROBLEM_HEADING.search(body):
        return "problem"
    return None


@dataclass(frozen=True, slots=True)
class _Paragraph:
    text: str
    breaks: tuple[tuple[int, int], ...]
    """(offset in `text`, source line) where each joined line starts."""

    def line_at(self, offset: int) -> int:
        line = self.breaks[0][1]
        for start, number in self.breaks:
            if start > offset:
                break
            line = number
        return line


def _joined_lines(text: str) -> list[_Paragraph]:
    """The paragraphs of a text: a line that stops mid-sentence continues on the next non-empty
    line (PDF and web line breaks), unless either is a heading or the next starts an item."""
    paragraphs: list[_Paragraph] = []
    open_paragraph = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _clean_line(raw)
        if not line:
            continue
        heading = _is_heading(line) is not None
        starts_item = _ENUMERATOR.match(line) is not None
        if open_paragraph and not heading and not starts_item and paragraphs:
            before = paragraphs[-1]
            paragraphs[-1] = _Paragraph(
                before.text + line, (*before.breaks, (len(before.text), number))
            )
        else:
            paragraphs.append(_Paragraph(line, ((0, number),)))
        open_paragraph = not heading and not _TERMINAL.search(line)
    return paragraphs


def _located_sentences(text: str, offset: int) -> Iterator[tuple[str, int]]:
    """(sentence, offset of its start in the paragraph) of a segment starting at `offset`."""
    cursor = 0
    for sentence in _sentences_of(text):
        found = text.find(sentence, cursor)
        start = found if found >= 0 else cursor
        cursor = start + len(sentence)
        yield sentence, offset + start


def _segments(paragraph: str) -> Iterator[tuple[str, str, int]]:
    """(marker, text, offset of the text) of the lead text and of each enumerated item."""
    starts = [(m.start(), m.group("marker"), m.end()) for m in _ENUMERATOR.finditer(paragraph)]
    if not starts or starts[0][0] > 0:
        end = starts[0][0] if starts else len(paragraph)
        yield "", paragraph[:end], 0
    for index, (_, marker, body) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(paragraph)
        yield marker, paragraph[body:end], body


def _short(text: str) -> str:
    first = re.split(r"[。；;！!？?]", text, maxsplit=1)[0].strip("，,：: ")
    return first if len(first) <= SHORT_TEXT else first[: SHORT_TEXT - 1] + "…"


def _sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip("。；;！!？? ")]


def extract_items(problems_text: str | None) -> tuple[Item, ...]:
    """The problems and commitments of a section 五 text, in order of appearance."""
    if not problems_text:
        return ()
    items: list[Item] = []
    mode: ItemKind | None = None
    for paragraph in _joined_lines(problems_text):
        heading = _is_heading(paragraph.text)
        if heading is not None:
            mode = heading
            continue
        for marker, segment, offset in _segments(paragraph.text):
            body = segment.strip().strip("，, ")
            if not body.strip("：: "):
                continue
            if marker:
                kind = _enumerated_kind(body, mode)
                items.append(_item(kind, body, paragraph.line_at(offset), marker))
                continue
            for sentence, start in _located_sentences(segment, offset):
                line = paragraph.line_at(start)
                cue = _PLAN_CUE.match(sentence)
                if cue is not None:
                    mode = "commitment"
                    rest = sentence[cue.end() :]
                    if _content_bigrams(rest) and not sentence.rstrip().endswith(("：", ":")):
                        items.append(_item("commitment", sentence, line, cue.group("cue")))
                elif _PROBLEM_CUE.search(sentence) or _INTRO.search(sentence):
                    if sentence.rstrip().endswith(("：", ":")) or "存在" in sentence:
                        mode = "problem"
                    if not _INTRO.search(sentence):
                        items.append(_item("problem", sentence, line, ""))
                elif sentence.rstrip().endswith(("：", ":")) and "问题" in sentence:
                    mode = "problem"
    return tuple(items)


def _enumerated_kind(body: str, mode: ItemKind | None) -> ItemKind:
    if _AIMED_AT.match(body):
        return "commitment"  # 针对…的问题，要… (卫东区 2021)
    if mode is not None:
        return mode
    return (
        "problem" if _PROBLEM_CUE.search(body) and not _IS_COMMITMENT.match(body) else "commitment"
    )


def _item(kind: ItemKind, body: str, line: int, marker: str) -> Item:
    sentence = re.sub(r"\s+", "", body).strip("，,：: ")
    return Item(
        kind=kind,
        text=_short(sentence),
        sentence=sentence,
        line=line,
        marker=marker,
        generic=is_generic(sentence),
    )


def report_sentences(section: Section, text: str | None) -> tuple[Sentence, ...]:
    """The sentences of a section text, split at 。；！？ and at enumerators, with their lines."""
    if not text:
        return ()
    found: list[Sentence] = []
    for paragraph in _joined_lines(text):
        if _is_heading(paragraph.text) is not None:
            continue
        for _, segment, offset in _segments(paragraph.text):
            for sentence, start in _located_sentences(segment, offset):
                cleaned = re.sub(r"\s+", "", sentence).strip("，,：: ")
                if cleaned:
                    found.append(Sentence(section, cleaned, paragraph.line_at(start)))
    return tuple(found)


# ---- similarity ----------------------------------------------------------------------------

GENERIC_PHRASES: Final[tuple[str, ...]] = (
    # slogans every report repeats
    "以公开为常态、不公开为例外",
    "以公开为常态,不公开为例外",
    "决策、执行、管理、服务、结果公开",
    "全面真实、及时便民",
    "谁发布、谁解读",
    # the domain's own nouns
    "中华人民共和国政府信息公开条例",
    "政府信息公开",
    "政务公开",
    "信息公开",
    "政府信息",
    "政务信息",
    "政府",
    "政务",
    "公开",
    "信息",
    "工作",
    "条例",
    # frames of a commitment
    "下一步",
    "今后",
    "明年",
    "新的一年",
    "我们",
    "本机关",
    "我局",
    "我办",
    "我委",
    "我区",
    "我县",
    "我市",
    "我乡",
    "我镇",
    "全区",
    "全县",
    "全市",
    "全镇",
    "全乡",
    "进一步",
    "继续",
    "持续",
    "不断",
    "切实",
    "着力",
    "努力",
    "积极",
    "认真",
    "全面",
    "重点",
    "做好",
    "抓好",
    "加强",
    "强化",
    "推进",
    "推动",
    "提升",
    "提高",
    "加大",
    "加快",
    "深化",
    "坚持",
    "注重",
    "围绕",
    "完善",
    "健全",
    "建立",
    "优化",
    "落实",
    "确保",
    "力度",
    "贯彻",
    # frames of a problem
    "存在",
    "问题",
    "不足",
    "不够",
    "有待",
    "仍然",
    "仍需",
    "还需",
    "需要",
    "部分",
    "个别",
    "一些",
    "有些",
    "较为",
    "比较",
    "方面",
    "不及时",
    "及时",
    "不到位",
    "不全面",
    "不深入",
    "不高",
    "不强",
    "滞后",
    "缺乏",
    "欠缺",
    "缺少",
    "薄弱",
    "较少",
    "偏少",
    "不畅",
    # boilerplate nouns: organisation, staff, quality
    "组织领导",
    "领导",
    "责任",
    "压实",
    "高度重视",
    "重视",
    "认识",
    "意识",
    "质量",
    "水平",
    "能力",
    "队伍建设",
    "业务素质",
    "素质",
    "工作人员",
    "人员",
    "机制",
    "制度",
    "体系",
    "格局",
    "有关",
    "相关",
    "各项",
    "要求",
    "规定",
    "情况",
    "领域",
    "新台阶",
    "文件和会议精神",
)
"""Phrases removed before comparing (longest first): what every section 五 says, so that a
match means the same specific thing. Chosen from the reports' language (the samples, the
real excerpts of tests/real/) and tuned on the dev pairs only (bench/promises.py)."""

_GENERIC = re.compile(
    "|".join(re.escape(p) for p in sorted(GENERIC_PHRASES, key=len, reverse=True))
)
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*%?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FRAME = re.compile(rf"^(?:[{_NUMERAL}]{{1,3}}是|[（(][{_NUMERAL}\d]{{1,3}}[）)]|\d{{1,2}}[.、．])")
_FUNCTION_CHARS = re.compile(r"[的和及与了将要在对为是把并或以其]")


def content_bigrams(text: str) -> frozenset[str]:
    """The specific character bigrams of a text: NFKC, years, numbers, enumerators, generic
    phrases and function characters removed; a bigram never spans a removed part."""
    return _content_bigrams(text)


@lru_cache(maxsize=1 << 16)
def _content_bigrams(text: str) -> frozenset[str]:
    # a pure function of the text, asked for the same sentences once per pair they are in
    normal = unicodedata.normalize("NFKC", text)
    normal = _FRAME.sub("|", normal.strip())
    normal = _YEAR.sub("|", normal)
    normal = _NUMBER.sub("|", normal)
    normal = _GENERIC.sub("|", normal)
    normal = _FUNCTION_CHARS.sub("|", normal)
    return frozenset(
        run[i : i + 2] for run in _HAN_RUN.findall(normal) for i in range(len(run) - 1)
    )


def is_generic(text: str, min_content: int = MIN_CONTENT_BIGRAMS) -> bool:
    """True when fewer than `min_content` specific bigrams are left (boilerplate)."""
    return len(_content_bigrams(text)) < min_content


def cosine(a: str, b: str, min_shared: int = MIN_CONTENT_BIGRAMS) -> float:
    """|A∩B| / √(|A|·|B|) over content bigrams (the cosine of their sets); 0.0 when they share
    fewer than `min_shared` (two short sentences sharing one word are not the same statement)."""
    first, second = _content_bigrams(a), _content_bigrams(b)
    shared = len(first & second)
    if shared < max(min_shared, 1):
        return 0.0
    return shared / math.sqrt(len(first) * len(second))


def containment(a: str, b: str, min_shared: int = MIN_CONTENT_BIGRAMS) -> float:
    """|A∩B| / |A|: how much of `a` (the commitment) is in `b`; 0.0 when they share fewer
    than `min_shared` content bigrams."""
    first, second = _content_bigrams(a), _content_bigrams(b)
    shared = len(first & second)
    return shared / len(first) if shared >= max(min_shared, 1) else 0.0


_DONE_MARKER = re.compile(
    r"已|完成|建成|上线|开通|印发|出台|举办|召开|设立|开设|新增|累计|共计|得到(?:缓解|解决|改善)|"
    r"整改到位|针对上(?:一)?年(?:度)?|"
    r"\d+\s*(?:个|件|条|次|场|期|篇|项|名|家|处|人次|余人|余条|余件|%)"
)


@lru_cache(maxsize=1 << 14)
def done_marker(sentence: str) -> str | None:
    """The words that make a sentence a report of something done (已…, 完成, 4次), or None.
    Cached: a ledger asks it of each Y+1 sentence once per item sentence compared with it
    (203,574 calls for 2,542 distinct sentences at 1,000 reports of bench/scale.py)."""
    match = _DONE_MARKER.search(unicodedata.normalize("NFKC", sentence))
    return match.group(0) if match else None


PairLabel = Literal["done", "repeated", "unrelated"]


def classify_pair(
    item: str,
    sentence: str,
    section: Section,
    *,
    repeat_threshold: float = REPEAT_THRESHOLD,
    done_threshold: float = DONE_THRESHOLD,
    min_content: int = MIN_CONTENT_BIGRAMS,
) -> tuple[PairLabel, float]:
    """How a year-Y item relates to one sentence of year Y+1 in `section`, with the score that
    decided it (the cosine for repeated, else the containment); the rule of the module doc.
    The keyword arguments are for the bench's threshold sweep; the defaults are the measured
    thresholds."""
    if is_generic(item, min_content):
        return "unrelated", 0.0
    marker = done_marker(sentence)
    if section == "problems" and marker is None:
        score = cosine(item, sentence, min_content)
        if score >= repeat_threshold:
            return "repeated", score
    score = containment(item, sentence, min_content)
    if (section == "overview" or marker is not None) and score >= done_threshold:
        return "done", score
    return "unrelated", score


# ---- the ledger ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromiseReport:
    """What the analysis needs of one report: who, which year, sections 一 and 五, the file."""

    agency: AgencyRef
    year: int
    overview: str | None
    problems: str | None
    file: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence of year Y+1 that decided an outcome, with what it was compared with.

    `item_sentence` is the sentence of the year-Y item that matched (an item may hold several),
    `sentence` the Y+1 sentence, `section`/`line` where it is in the Y+1 report, `file` that
    report, `score` the similarity (cosine for repeated, containment for done), `marker` the
    words that make it a report of work done (done only)."""

    outcome: Literal["done", "repeated"]
    item_sentence: str
    sentence: str
    section: Section
    line: int
    file: str
    score: float
    marker: str | None


@dataclass(frozen=True, slots=True)
class Promise:
    """One item of year Y and what year Y+1 says about it (evidence best first)."""

    item: Item
    outcome: Outcome
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class YearLedger:
    """The items of one agency's year-Y section 五 against its year-Y+1 report.

    `next_year` is None when there is no report of Y+1 (every item is then `silent` with no
    evidence, and `compared` is False: nothing is claimed)."""

    agency: AgencyRef
    year: int
    file: str
    next_year: int | None
    next_file: str | None
    promises: tuple[Promise, ...]

    @property
    def compared(self) -> bool:
        return self.next_year is not None

    def count(self, outcome: Outcome, kind: ItemKind | None = None) -> int:
        return sum(
            1
            for p in self.promises
            if p.outcome == outcome and (kind is None or p.item.kind == kind)
        )


def ledgers_to_json(ledgers: Sequence[YearLedger]) -> str:
    """An agency's ledgers as JSON, for the render cache: a cached agency page brings its
    ledger, so a build that renders one new report does not compare every agency's years again."""
    return json.dumps([dataclasses.asdict(ledger) for ledger in ledgers], ensure_ascii=False)


def ledgers_from_json(text: str) -> tuple[YearLedger, ...]:
    """The ledgers ledgers_to_json wrote (equal to the ones it was given)."""
    out = []
    for data in json.loads(text):
        agency = AgencyRef(data["agency"]["name"], Region(**data["agency"]["region"]))
        promises = tuple(
            Promise(
                Item(**p["item"]),
                p["outcome"],
                tuple(Evidence(**e) for e in p["evidence"]),
            )
            for p in data["promises"]
        )
        out.append(
            YearLedger(
                agency, data["year"], data["file"], data["next_year"], data["next_file"], promises
            )
        )
    return tuple(out)


MAX_EVIDENCE: Final = 3


def _item_sentences(item: Item) -> list[str]:
    """The item's own sentences that are specific enough to match (the whole item if none)."""
    parts = [s for s in _sentences_of(item.sentence) if not is_generic(s)]
    return parts or [item.sentence]


def _candidates(following: PromiseReport) -> tuple[Sentence, ...]:
    """The Y+1 sentences an item is compared with: all of section 五, the longer ones of 一."""
    return (
        *report_sentences("problems", following.problems),
        *(
            s
            for s in report_sentences("overview", following.overview)
            if len(s.text) >= MIN_DONE_SENTENCE
        ),
    )


def match_item(
    item: Item, following: PromiseReport, candidates: Sequence[Sentence] | None = None
) -> Promise:
    """One item of year Y against the report of Y+1 (repeated > done > silent).
    candidates: _candidates(following), when the caller made them once for all its items."""
    if item.generic:
        return Promise(item, "generic", ())
    if candidates is None:
        candidates = _candidates(following)
    found: list[Evidence] = []
    own_sentences = _item_sentences(item)
    for candidate in candidates:
        decided = [
            (label, score, own)
            for own in own_sentences
            for label, score in (classify_pair(own, candidate.text, candidate.section),)
            if label != "unrelated"
        ]
        if not decided:
            continue
        # one verdict per Y+1 sentence: repeated before done, then the best score
        label, score, own = min(decided, key=lambda d: (d[0] != "repeated", -d[1], d[2]))
        found.append(
            Evidence(
                outcome="repeated" if label == "repeated" else "done",
                item_sentence=own,
                sentence=candidate.text,
                section=candidate.section,
                line=candidate.line,
                file=following.file,
                score=round(score, 3),
                marker=done_marker(candidate.text) if label == "done" else None,
            )
        )
    repeated = sorted(
        (e for e in found if e.outcome == "repeated"), key=lambda e: (-e.score, e.line, e.sentence)
    )
    done = sorted(
        (e for e in found if e.outcome == "done"),
        key=lambda e: (-e.score, e.section != "overview", e.line, e.sentence),
    )
    if repeated:
        return Promise(item, "repeated", tuple((repeated + done)[:MAX_EVIDENCE]))
    if done:
        return Promise(item, "done", tuple(done[:MAX_EVIDENCE]))
    return Promise(item, "silent", ())


def match_year(report: PromiseReport, following: PromiseReport | None) -> YearLedger:
    """The ledger of `report`'s section 五 against `following` (the same agency, year + 1)."""
    if following is not None and (
        following.agency != report.agency or following.year != report.year + 1
    ):
        raise ValueError(
            f"{following.agency.label} {following.year} does not follow "
            f"{report.agency.label} {report.year}"
        )
    items = extract_items(report.problems)
    if following is None:
        promises = tuple(Promise(i, "generic" if i.generic else "silent", ()) for i in items)
    else:
        candidates = _candidates(following)
        promises = tuple(match_item(item, following, candidates) for item in items)
    return YearLedger(
        agency=report.agency,
        year=report.year,
        file=report.file,
        next_year=following.year if following is not None else None,
        next_file=following.file if following is not None else None,
        promises=promises,
    )


def ledgers(reports: Iterable[PromiseReport]) -> tuple[YearLedger, ...]:
    """Every agency's ledger for every year, sorted by agency then year.

    Several reports of one agency and year: the first by file name is used (the pipeline
    passes one report per agency and year)."""
    by_key: dict[tuple[AgencyRef, int], PromiseReport] = {}
    for report in sorted(reports, key=lambda r: (r.agency, r.year, r.file)):
        by_key.setdefault((report.agency, report.year), report)
    return tuple(
        match_year(report, by_key.get((agency, year + 1)))
        for (agency, year), report in sorted(by_key.items())
    )


# ---- agencies whose problems repeat year after year ---------------------------------------


@dataclass(frozen=True, slots=True)
class Repetition:
    """An item of `year` said again in `year + 1` (its evidence holds both sentences)."""

    year: int
    item: Item
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class RepeatingAgency:
    """An agency whose section 五 repeats itself: `years` are the years Y whose items come back
    in Y+1 (consecutive runs count: 2021, 2022 means 2021->2022 and 2022->2023)."""

    agency: AgencyRef
    years: tuple[int, ...]
    repetitions: tuple[Repetition, ...]

    @property
    def longest_run(self) -> int:
        """Most consecutive year pairs with a repetition (2 = three reports in a row)."""
        best = run = 0
        previous: int | None = None
        for year in self.years:
            run = run + 1 if previous is not None and year == previous + 1 else 1
            best = max(best, run)
            previous = year
        return best


def repeating_agencies(
    year_ledgers: Sequence[YearLedger], *, min_pairs: int = 1
) -> tuple[RepeatingAgency, ...]:
    """Agencies with repeated items in at least `min_pairs` year pairs, most repetitive first
    (longest run, then number of repetitions, then agency)."""
    by_agency: dict[AgencyRef, list[Repetition]] = {}
    for ledger in year_ledgers:
        for promise in ledger.promises:
            if promise.outcome == "repeated":
                by_agency.setdefault(ledger.agency, []).append(
                    Repetition(ledger.year, promise.item, promise.evidence[0])
                )
    found = []
    for agency, repetitions in by_agency.items():
        years = tuple(sorted({r.year for r in repetitions}))
        if len(years) >= min_pairs:
            ordered = tuple(sorted(repetitions, key=lambda r: (r.year, r.item.line, r.item.text)))
            found.append(RepeatingAgency(agency, years, ordered))
    return tuple(sorted(found, key=lambda a: (-a.longest_run, -len(a.repetitions), a.agency)))
