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
money is a number, dates are ISO `YYYY-MM-DD`, `year` an integer, text a non-empty string.
A table cell or a date may also be set to `null` (the report leaves it blank and the parser
read something there); the title, agency name and year may not.

Corrections are applied to the parsed record (after the parse cache, before the checks): the
record gets the new values and `corrections: [{path, original, value, reason, by, date}]`
(`original` = the parsed value). A sidecar that is not valid raises CorrectionError naming the
sidecar file, the entry number (1-based) and what was expected; the build lists the report as
an unreadable input with that reason, so a wrong correction is never published.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import NianbaoError
from generator.record import APPEAL_FIELDS, MONEY_FIELDS, REQUEST_COLUMNS

SIDECAR_SUFFIXES = (".corrections.yml", ".corrections.yaml")
ENTRY_KEYS = ("path", "value", "reason", "by", "date")
TOP_LEVEL_PATHS = ("title", "published", "year", "agency.name", "period.start", "period.end")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorrectionError(NianbaoError):
    """A corrections sidecar cannot be applied; the message names the file and the entry."""

    def __init__(self, sidecar: str, entry: int | None, problem: str) -> None:
        self.sidecar = sidecar
        self.entry = entry
        self.problem = problem
        where = f"{sidecar}: entry {entry}" if entry is not None else sidecar
        super().__init__(f"{where}: {problem}")


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


def load_sidecar(sidecar: Path, shown: str | None = None) -> list[dict[str, Any]]:
    """The entries of a sidecar, structurally checked (not yet against a record)."""
    shown = shown or str(sidecar)
    try:
        data = yaml.safe_load(sidecar.read_text("utf-8"))
    except UnicodeDecodeError:
        raise CorrectionError(
            shown, None, "not UTF-8 text; save the corrections file as UTF-8"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise CorrectionError(
            shown,
            None,
            f"not valid YAML{at}; expected a list of {{path, value, reason, by, date}} entries",
        ) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionError(
            shown,
            None,
            f"expected a list of {{path, value, reason, by, date}} entries, found {_kind(data)}",
        )
    entries = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise CorrectionError(
                shown,
                number,
                f"expected a mapping with keys {', '.join(ENTRY_KEYS)}, found {_kind(item)}",
            )
        missing = [k for k in ENTRY_KEYS if k not in item]
        unknown = sorted(str(k) for k in item if k not in ENTRY_KEYS)
        if missing:
            raise CorrectionError(
                shown,
                number,
                f"missing key(s) {', '.join(missing)}; expected keys {', '.join(ENTRY_KEYS)}",
            )
        if unknown:
            raise CorrectionError(
                shown,
                number,
                f"unknown key(s) {', '.join(unknown)}; expected keys {', '.join(ENTRY_KEYS)}",
            )
        for key in ("path", "reason", "by"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise CorrectionError(
                    shown, number, f"'{key}' must be a non-empty text, found {_kind(item[key])}"
                )
        date = _iso_date(item["date"])
        if date is None:
            raise CorrectionError(
                shown, number, f"'date' must be an ISO date (YYYY-MM-DD), found {item['date']!r}"
            )
        entries.append(
            {
                "path": item["path"].strip(),
                "value": item["value"],
                "reason": item["reason"].strip(),
                "by": item["by"].strip(),
                "date": date,
            }
        )
    return entries


def apply_corrections(
    record: dict[str, Any], entries: list[dict[str, Any]], shown: str
) -> dict[str, Any]:
    """A copy of record with the entries applied and listed in `corrections`.

    All entries are validated before anything is changed: one bad entry rejects the sidecar.
    A later entry for the same path overrides an earlier one; `original` stays the parsed value.
    """
    if not entries:
        return record
    from generator.parse.identity import record_id

    result = copy.deepcopy(record)
    applied: list[dict[str, Any]] = []
    for number, entry in enumerate(entries, start=1):
        container, key, expected, check = _locate(result, entry["path"], shown, number)
        value = check(entry["value"])
        if value is _INVALID:
            raise CorrectionError(
                shown, number, f"{entry['path']}: expected {expected}, found {entry['value']!r}"
            )
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
        result["id"] = record_id(result["agency"]["name"], result["year"])
    result["corrections"] = applied
    return result


def correct_record(
    record: dict[str, Any], report: Path, shown: str | None = None
) -> dict[str, Any]:
    """Apply the sidecar next to `report` (if any) to its parsed record."""
    sidecar = sidecar_for(report)
    if sidecar is None:
        return record
    label = (shown + sidecar.name[len(report.name) :]) if shown else str(sidecar)
    return apply_corrections(record, load_sidecar(sidecar, label), label)


# ---- key paths ------------------------------------------------------------------------------

_INVALID = object()


def _locate(record: dict, path: str, shown: str, number: int):
    """(container, key, expected description, value checker) for a key path, or CorrectionError."""
    parts = path.split(".")
    table = parts[0]

    def fail(problem: str) -> CorrectionError:
        return CorrectionError(shown, number, f"{path}: {problem}")

    if path in TOP_LEVEL_PATHS:
        if path == "title":
            return record, "title", "a non-empty text", _text
        if path == "agency.name":
            return record["agency"], "name", "a non-empty text", _text
        if path == "year":
            return record, "year", "a year (integer 1949-2100)", _year
        if path == "published":
            return record, "published", "an ISO date (YYYY-MM-DD) or null", _nullable(_date)
        if record.get("period") is None:
            record["period"] = {"start": None, "end": None}
        return record["period"], parts[1], "an ISO date (YYYY-MM-DD) or null", _nullable(_date)
    if table not in ("requests", "proactive", "appeals") or len(parts) != 3:
        raise fail(
            "unknown key path; expected requests.<row>.<column>, proactive.<row>.<field>, "
            "appeals.<group>.<field>, or one of " + ", ".join(TOP_LEVEL_PATHS)
        )
    _, row, column = parts
    rows = record.get(table)
    if rows is None:
        raise fail(f"this record has no {table} table (the report has none to correct)")
    if row not in rows:
        raise fail(f"this record has no {table} row '{row}'; expected one of {', '.join(rows)}")
    if table == "requests":
        if column not in REQUEST_COLUMNS:
            raise fail(f"unknown column '{column}'; expected one of {', '.join(REQUEST_COLUMNS)}")
        if not isinstance(rows[row], list) or len(rows[row]) != len(REQUEST_COLUMNS):
            raise fail(f"this record's requests row '{row}' has no cells to correct")
        return (
            rows[row],
            REQUEST_COLUMNS.index(column),
            "a count (integer >= 0) or null",
            _nullable(_count),
        )
    fields = rows[row]
    if not isinstance(fields, dict) or column not in fields:
        fields = fields if isinstance(fields, dict) else {}
        known = ", ".join(fields) if table == "proactive" else ", ".join(APPEAL_FIELDS)
        raise fail(
            f"this record's {table} row '{row}' has no field '{column}'; expected one of {known}"
        )
    if table == "proactive" and (row, column) in MONEY_FIELDS:
        return fields, column, "an amount (a number) or null", _nullable(_money)
    if table == "proactive" and column == "change":
        return fields, column, "a change (integer, may be negative) or null", _nullable(_integer)
    return fields, column, "a count (integer >= 0) or null", _nullable(_count)


def _nullable(check):
    """A cell or a date may be corrected to null: blank in the report, misread as a value."""
    return lambda value: None if value is None else check(value)


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
    """An ISO date string from a YAML date or a 'YYYY-MM-DD' string; None if neither."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
