"""Corrections sidecars: reviewed fixes to a parsed record, kept next to the report.

Next to a report `X.txt`, a file `X.txt.corrections.yml` (or `.yaml`) holds a list of entries:

    - path: requests.granted.total
      value: 3
      reason: 表三（一）予以公开 总计 misprinted as 30; the rows add up to 3
      by: 张三
      date: 2022-03-01

`path` addresses one value of the record: `requests.<row>.<column>` (columns as in
generator.record.REQUEST_COLUMNS), `proactive.<row>.<field>`, `appeals.<group>.<field>`, or a
top-level fact: `title`, `published`, `year`, `agency.name`, `period.start`, `period.end`.
Every key is required (a published change must say why, who and when). Values are checked
against the cell: counts are integers >= 0 (the 2019 本年增/减 `change` may be negative),
money is a number, dates are `YYYY-MM-DD` (or `YYYY年M月D日`), `year` an integer, text a
non-empty string. A table cell or a date may also be set to `null` (the report leaves it blank
and the parser read something there); the title, agency name and year may not.

Corrections are applied to the parsed record (after the parse cache, before the checks): the
record gets the new values and `corrections: [{path, original, value, reason, by, date}]`
(`original` = the parsed value). A path addresses the record's published form (the key paths
of docs/contract.md), so an entry is applied there: the record is written out with
`Record.to_dict`, corrected, and read back with `Record.from_dict`. Forgiving, because one typo must not take a report off the
site: an entry that is not valid is skipped and listed in `corrections_rejected: [{sidecar,
entry, path, problem}]` (entry 1-based; null when the whole file cannot be read), which the
report page shows and `nianbao check` reports; the valid entries are applied. Problems are in
Chinese and say what was expected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

import yaml

from generator.model import Record, RejectedCorrection
from generator.model.identity import record_id
from generator.record import APPEAL_FIELDS, MONEY_FIELDS, REQUEST_COLUMNS

SIDECAR_SUFFIXES = (".corrections.yml", ".corrections.yaml")
ENTRY_KEYS = ("path", "value", "reason", "by", "date")
TOP_LEVEL_PATHS = ("title", "published", "year", "agency.name", "period.start", "period.end")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
ENTRY_SHAPE = "由 path、value、reason、by、date 五项组成的条目"


class CorrectionProblem(Exception):
    """One entry (or the whole sidecar) cannot be applied; `problem` says why, in Chinese."""

    def __init__(self, problem: str, path: str | None = None) -> None:
        self.problem = problem
        self.path = path
        super().__init__(problem)


def sidecar_for(report: Path) -> Path | None:
    """The corrections sidecar of a report file, if there is one (.yml before .yaml)."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = report.with_name(report.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def report_of(sidecar: Path) -> Path | None:
    """The report file a sidecar belongs to (X.txt for X.txt.corrections.yml); None if the
    name is not a sidecar's."""
    for suffix in SIDECAR_SUFFIXES:
        if sidecar.name.endswith(suffix) and len(sidecar.name) > len(suffix):
            return sidecar.with_name(sidecar.name[: -len(suffix)])
    return None


class Entry(TypedDict):
    """A sidecar entry that is well formed (not yet checked against a record)."""

    path: str
    value: Any
    """As YAML read it: checked against the cell or fact when applied."""
    reason: str
    by: str
    date: str
    """ISO date."""


def load_sidecar(sidecar: Path) -> list[Entry | CorrectionProblem]:
    """The entries of a sidecar, each structurally checked (not yet against a record): a dict
    {path, value, reason, by, date} or the CorrectionProblem that rejects it. A file that is
    not a readable list raises CorrectionProblem (nothing in it can be applied)."""
    try:
        data = yaml.safe_load(sidecar.read_text("utf-8"))
    except UnicodeDecodeError:
        raise CorrectionProblem("不是 UTF-8 文本：请把更正文件保存为 UTF-8 编码") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise CorrectionProblem(
            f"不是有效的 YAML（{at}有语法错误）：应为{ENTRY_SHAPE}的列表"
        ) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionProblem(f"应为{ENTRY_SHAPE}的列表，实为{_kind(data)}")
    return [_entry(item) for item in data]


def _entry(item: Any) -> Entry | CorrectionProblem:
    if not isinstance(item, dict):
        return CorrectionProblem(f"应为{ENTRY_SHAPE}，实为{_kind(item)}")
    path = item.get("path") if isinstance(item.get("path"), str) else None
    missing = [k for k in ENTRY_KEYS if k not in item]
    unknown = sorted(str(k) for k in item if k not in ENTRY_KEYS)
    if missing:
        return CorrectionProblem(
            f"缺少 {'、'.join(missing)}：每条更正都要写明 {'、'.join(ENTRY_KEYS)}", path
        )
    if unknown:
        return CorrectionProblem(
            f"有未知的项 {'、'.join(unknown)}：只能写 {'、'.join(ENTRY_KEYS)}", path
        )
    for key in ("path", "reason", "by"):
        if not isinstance(item[key], str) or not item[key].strip():
            return CorrectionProblem(f"“{key}”应为非空文字，实为{_kind(item[key])}", path)
    date = _iso_date(item["date"])
    if date is None:
        return CorrectionProblem(
            f"“date”应为日期（2022-03-01 或 2022年3月1日），实为 {item['date']!r}", path
        )
    return {
        "path": item["path"].strip(),
        "value": item["value"],
        "reason": item["reason"].strip(),
        "by": item["by"].strip(),
        "date": date,
    }


def apply_corrections(
    record: Record, entries: Sequence[Entry | CorrectionProblem], shown: str
) -> Record:
    """The record with the valid entries applied and listed in `corrections`; the others
    listed in `corrections_rejected`. A later entry for the same path overrides an earlier
    one; `original` stays the parsed value."""
    if not entries:
        return record
    result = record.to_dict()
    applied: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for number, entry in enumerate(entries, start=1):
        try:
            if isinstance(entry, CorrectionProblem):
                raise entry
            container, key, check = _locate(result, entry["path"])
            value = check.read(entry["value"])
        except CorrectionProblem as problem:
            rejected.append(
                {
                    "sidecar": shown,
                    "entry": number,
                    "path": problem.path,
                    "problem": problem.problem,
                }
            )
            continue
        original = next(
            (c["original"] for c in applied if c["path"] == entry["path"]), container[key]
        )
        container[key] = value
        applied.append(
            {
                "path": entry["path"],
                "original": original,
                "value": value,
                "reason": entry["reason"],
                "by": entry["by"],
                "date": entry["date"],
            }
        )
    if any(c["path"] in ("agency.name", "year") for c in applied):
        result["id"] = record_id(result["agency"]["name"], result["year"], result["source"]["file"])
    if applied:
        result["corrections"] = applied
    if rejected:
        result["corrections_rejected"] = rejected
    return Record.from_dict(result)


def correct_record(record: Record, report: Path, shown: str | None = None) -> Record:
    """Apply the sidecar next to `report` (if any) to its parsed record."""
    sidecar = sidecar_for(report)
    if sidecar is None:
        return record
    label = (shown + sidecar.name[len(report.name) :]) if shown else str(sidecar)
    try:
        entries = load_sidecar(sidecar)
    except CorrectionProblem as problem:
        rejected = RejectedCorrection(label, None, None, problem.problem)
        return dataclasses.replace(record, corrections_rejected=(rejected,))
    return apply_corrections(record, entries, label)


# ---- key paths ------------------------------------------------------------------------------

_INVALID = object()


class _Check:
    """What a key path accepts: a Chinese description and a reader (value or _INVALID)."""

    def __init__(self, path: str, expected: str, accept: Any, nullable: bool) -> None:
        self.path, self.expected, self.accept, self.nullable = path, expected, accept, nullable

    def read(self, value: Any) -> Any:
        if value is None and self.nullable:
            return None
        result = self.accept(value)
        if result is _INVALID:
            raise CorrectionProblem(f"{self.path} 应为{self.expected}，实为 {value!r}", self.path)
        return result


def _locate(record: dict[str, Any], path: str) -> tuple[Any, Any, _Check]:
    """(container, key, check) for a key path, or CorrectionProblem."""
    parts = path.split(".")
    table = parts[0]

    def fail(problem: str) -> CorrectionProblem:
        return CorrectionProblem(f"{path}：{problem}", path)

    def check(expected: str, accept: Any, nullable: bool = True) -> _Check:
        return _Check(path, expected + ("或 null" if nullable else ""), accept, nullable)

    if path in TOP_LEVEL_PATHS:
        if path == "title":
            return record, "title", check("非空文字", _text, False)
        if path == "agency.name":
            return record["agency"], "name", check("非空文字", _text, False)
        if path == "year":
            return record, "year", check("年份（1949 至 2100 的整数）", _year, False)
        if path == "published":
            return record, "published", check("日期（YYYY-MM-DD）", _date)
        if record.get("period") is None:
            record["period"] = {"start": None, "end": None}
        return record["period"], parts[1], check("日期（YYYY-MM-DD）", _date)
    if table not in ("requests", "proactive", "appeals") or len(parts) != 3:
        raise fail(
            "不认识的位置；应为 requests.<行>.<列>、proactive.<行>.<项>、"
            "appeals.<类>.<项>，或 " + "、".join(TOP_LEVEL_PATHS) + " 之一"
        )
    _, row, column = parts
    rows = record.get(table)
    if rows is None:
        raise fail(f"本报告没有 {table} 表格（报告中没有可更正的表格）")
    if row not in rows:
        raise fail(f"本报告的 {table} 表格没有“{row}”行；应为 {'、'.join(rows)} 之一")
    if table == "requests":
        if column not in REQUEST_COLUMNS:
            raise fail(f"不认识的列“{column}”；应为 {'、'.join(REQUEST_COLUMNS)} 之一")
        if not isinstance(rows[row], list) or len(rows[row]) != len(REQUEST_COLUMNS):
            raise fail(f"本报告 requests 表格的“{row}”行没有可更正的单元格")
        return rows[row], REQUEST_COLUMNS.index(column), check("非负整数", _count)
    fields = rows[row]
    if not isinstance(fields, dict) or column not in fields:
        fields = fields if isinstance(fields, dict) else {}
        known = "、".join(fields) if table == "proactive" else "、".join(APPEAL_FIELDS)
        raise fail(f"本报告 {table} 表格的“{row}”行没有“{column}”项；应为 {known} 之一")
    if table == "proactive" and (row, column) in MONEY_FIELDS:
        return fields, column, check("金额（数字）", _money)
    if table == "proactive" and column == "change":
        return fields, column, check("增减数（整数，可为负数）", _integer)
    return fields, column, check("非负整数", _count)


def _integer(value: Any) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID


def _count(value: Any) -> Any:
    return value if _integer(value) is not _INVALID and value >= 0 else _INVALID


def _money(value: Any) -> Any:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != value
        or value in (float("inf"), float("-inf"))
    ):
        return _INVALID
    return value


def _year(value: Any) -> Any:
    return value if _integer(value) is not _INVALID and 1949 <= value <= 2100 else _INVALID


def _text(value: Any) -> Any:
    return value if isinstance(value, str) and value.strip() else _INVALID


def _date(value: Any) -> Any:
    date = _iso_date(value)
    return _INVALID if date is None else date


def _iso_date(value: Any) -> str | None:
    """An ISO date string from a YAML date, 'YYYY-MM-DD' or 'YYYY年M月D日'; None otherwise."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    chinese = CHINESE_DATE.match(value)
    try:
        if chinese:
            year, month, day = (int(g) for g in chinese.groups())
            return dt.date(year, month, day).isoformat()
        if ISO_DATE.match(value):
            return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "空值（null）"
    return {
        dict: "一个映射",
        list: "一个列表",
        str: "文字",
        bool: "true/false",
        int: "数字",
        float: "数字",
    }.get(type(value), type(value).__name__)
