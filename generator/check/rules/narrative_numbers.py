"""TX-01: numbers stated in the narrative agree with the tables (format-and-rules.md §5).

Deliberately narrow patterns, each read inside one clause (text between ，。；！？ or a line
break), so that a count of something else in the same sentence is never compared:
- `(收到|受理|办理)…N件` with 申请 in the clause before the number: 收到/受理 vs 第一项
  (or 第一项+第二项), 办理 vs （七）总计, both in the 总计 column. A clause about 结转 or
  one result group (予以公开 2件) is skipped. `…0条` is not 件 and is not read (seed 003).
- 2021 edition, a clause naming 规范性文件 (not 规章) with exactly one `N件|个|条`:
  现行有效 vs 现行有效件数, 废止/失效 vs 本年废止件数, 制发/印发/出台/制定 vs 本年制发件数.
- `未(发生|出现|有)…行政复议/行政诉讼` vs a 总计 > 0 in 第四部分 (not when the clause is
  about 纠错/败诉 only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.access import (
    Observation,
    fail,
    narrative_sections,
    request_cell,
    request_row_label,
)
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, Record
from generator.model.tables import TOTAL_COLUMN as TOTAL
from generator.model.tables import count

CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
SENTENCE = re.compile(r"[^。；;！!？?\n]+")
REQUEST_COUNT = re.compile(r"(收到|受理|办理)([^，,。；;]{0,20}?)(\d+)\s*件")
REQUEST_SKIP = re.compile(r"结转|其中|予以|不予|部分|无法|自然人|法人|办结")
NORMATIVE_COUNT = re.compile(r"(\d+)\s*(?:件|个|条)")
NORMATIVE_FIELDS = (
    ("in_force", re.compile(r"现行有效"), "现行有效件数"),
    ("repealed", re.compile(r"废止|失效"), "本年废止件数"),
    ("issued", re.compile(r"制发|印发|出台|制定"), "本年制发件数"),
)
NO_APPEAL = re.compile(r"(未|没有)(发生|出现|有)")
APPEAL_WINDOW = 30
"""Characters after 未发生 in which 行政复议/行政诉讼 must be named (seed 003 needs 22)."""
NOT_ABOUT_COUNT = re.compile(r"纠错|纠正|败诉|撤销")


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _requests_counts(record: Record, key: str, text: str) -> Iterator[Observation]:
    received = request_cell(record, "received", TOTAL)
    carried = request_cell(record, "carried_over", TOTAL)
    handled = request_cell(record, "handled_total", TOTAL)
    for clause in CLAUSE.findall(text):
        for match in REQUEST_COUNT.finditer(clause):
            verb, middle, stated = match.group(1), match.group(2), int(match.group(3))
            before = clause[max(0, match.start() - 6) : match.start()]
            if "申请" not in middle + before or REQUEST_SKIP.search(middle):
                continue
            if verb == "办理":
                row, table = "handled_total", handled
                accepted = {handled}
            else:
                row, table = "received", received
                accepted = {
                    received,
                    None if carried is None or received is None else received + carried,
                }
            if table is None or stated in accepted:
                continue
            yield fail(
                f"正文“{_quote(clause)}”与第三部分表格“{request_row_label(row)}”"
                f"总计 {table} 不一致",
                f"sections.{key}",
            )


def _normative_counts(record: Record, key: str, text: str) -> Iterator[Observation]:
    row = record.proactive.row("normative_docs") if record.proactive is not None else None
    if row is None:
        return
    for clause in CLAUSE.findall(text):
        if "规范性文件" not in clause or "规章" in clause:
            continue
        counts = NORMATIVE_COUNT.findall(clause)
        if len(counts) != 1:
            continue
        stated = int(counts[0])
        for field, pattern, label in NORMATIVE_FIELDS:
            if pattern.search(clause):
                value = count(row.get(field))
                if value is not None and value != stated:
                    yield fail(
                        f"正文“{_quote(clause)}”与第二部分表格“行政规范性文件”"
                        f"{label} {value} 不一致",
                        f"sections.{key}",
                    )
                break


def _appeals_denied(record: Record, key: str, text: str) -> Iterator[Observation]:
    appeals = record.appeals
    if appeals is None:
        return

    def total(group: str) -> int | None:
        return count(appeals.value(group, "total"))

    review = total("review")
    suits = sum(v for v in (total("suit_direct"), total("suit_after_review")) if v is not None)
    for sentence in SENTENCE.findall(text):
        for match in NO_APPEAL.finditer(sentence):
            window = sentence[match.start() : match.end() + APPEAL_WINDOW]
            if NOT_ABOUT_COUNT.search(window):
                continue
            clash = []
            if "行政复议" in window and review:
                clash.append(f"行政复议总计 {review}")
            if "行政诉讼" in window and suits:
                clash.append(f"行政诉讼总计 {suits}")
            if clash:
                yield fail(
                    f"正文“{_quote(window)}”与第四部分表格{'、'.join(clash)}不一致",
                    f"sections.{key}",
                )


def narrative_matches_tables(record: Record) -> Iterator[Observation]:
    """TX-01."""
    for key, text in narrative_sections(record):
        yield from _requests_counts(record, key, text)
        if record.table_edition == "2021":
            yield from _normative_counts(record, key, text)
        yield from _appeals_denied(record, key, text)


RULES = (
    ReportRule(
        id="TX-01",
        title="正文数字与表格一致",
        level=Level.WARNING,
        what="正文中的申请件数（收到/受理/办理…N件）、规范性文件制发/废止/现行有效件数、“未发生行政复议/行政诉讼”与表格一致。",
        basis="30号：“发布内容不准确”；地方通知：“确保逻辑关系对应一致”[V]（" + SPEC + " §5、§6）",
        certainty="V",
        check=narrative_matches_tables,
    ),
)
