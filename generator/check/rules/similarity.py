"""TX-07: a report is not a near-copy of the same agency's previous year (30号 "内容雷同").

Text = the six sections joined, with every digit and all white space and markup removed
(years and counts change every year even in a copied report). Similarity = Jaccard index of
the sets of 5-character shingles; SIMILARITY_THRESHOLD = 0.9 (catalogue §5: "≥ 0.9 after
stripping years and numbers"). Texts shorter than MIN_CHARS are not compared.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.check.access import Observation, fail, narrative_sections
from generator.check.rule import SPEC, CorpusRule
from generator.check.rules.continuity import previous_year_pairs
from generator.memos import PureMemo
from generator.model import Level, Record

SIMILARITY_THRESHOLD = 0.9
SHINGLE = 5
MIN_CHARS = 100
_NOISE = re.compile(r"[\d０-９\s#*>　]+")


def comparable_text(record: Record) -> str:
    return _NOISE.sub("", "".join(text for _, text in narrative_sections(record)))


def similarity(a: str, b: str) -> float:
    """Jaccard index of the 5-character shingle sets of two texts (1.0 = same shingles)."""
    left = {a[i : i + SHINGLE] for i in range(max(1, len(a) - SHINGLE + 1))}
    right = {b[i : i + SHINGLE] for i in range(max(1, len(b) - SHINGLE + 1))}
    return len(left & right) / len(left | right) if left | right else 0.0


def _scores_version() -> str:
    from generator.cache import files_fingerprint

    return files_fingerprint(f"shingle {SHINGLE}", [("similarity.py", Path(__file__))])


SCORES: PureMemo[float] = PureMemo(
    "similarity", _scores_version, lambda value: isinstance(value, float) and 0 <= value <= 1
)
"""similarity() by the SHA-256 of its two texts, kept between builds (generator/memos.py):
most pairs are the same texts as in the last build."""


def known_similarity(a: str, b: str) -> float:
    key = hashlib.sha256(f"{a}\0{b}".encode()).hexdigest()
    known = SCORES.get(key)
    return known if known is not None else SCORES.put(key, similarity(a, b))


def not_copied(group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    """TX-07 (corpus)."""
    for record, previous in previous_year_pairs(group):
        now, then = comparable_text(record), comparable_text(previous)
        if min(len(now), len(then)) < MIN_CHARS:
            continue
        score = known_similarity(now, then)
        if score >= SIMILARITY_THRESHOLD:
            yield (
                record,
                fail(
                    f"正文与{previous.year}年报告（{previous.id}）高度相似"
                    f"（去除数字后相似度 {score:.2f} ≥ {SIMILARITY_THRESHOLD}），"
                    "疑似照搬上年报告",
                    "sections",
                ),
            )


RULES = (
    CorpusRule(
        id="TX-07",
        title="不照搬上年报告",
        level=Level.WARNING,
        what="与同一机关上一年报告相比，去除数字后5字片段的Jaccard相似度≥0.9视为照搬。",
        basis="30号：“内容雷同、敷衍塞责”；地方通知：“不得出现敷衍、雷同现象”[V]（"
        + SPEC
        + " §5、§6）",
        certainty="V",
        check=not_copied,
    ),
)
