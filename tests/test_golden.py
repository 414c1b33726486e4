"""Golden tests: every folder under tests/golden holds an input report and a hand-checked
expected.yaml (see tests/golden/README.md). The parser's record must match every key given.

expected.yaml keys (all optional except where noted):
  agency: {name, name_source, ...}  name compared with white space removed; a list = any of
  year, edition                     exact
  title                             white space removed on both sides; a list = any of
  published                         ISO date string or null
  period                            {start, end} or null (null also accepts {start: null, end: null})
  contact                           {address, postcode, phone, email, website} or null; keys given
                                    as null must be null/absent in the record; strings compared with
                                    white space removed; null accepts a dict whose values are all null
  proactive / requests / appeals    compared WHOLE: same rows, every cell (null = blank, never 0)
  requests_subset                   only the listed rows of `requests` are compared
  sections_present                  {key: true|false}: sections.<key> is found (a string, "" for a table-only section) / is null
  sections_text                     {key: text}: sections.<key> equals text (white space removed)
  warnings_include                  list of {code, where?, text?}: some parse warning must match;
                                    code may be a list (any of); `where` ending in `.*` matches that
                                    prefix (and the bare prefix); `text` is a substring of the
                                    warning's text
  warnings_exclude                  list of codes (or {code, where}) that must not appear
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and (p / "expected.yaml").exists())

MONEY = {("fees", "amount"), ("procurement", "amount")}
_WS = re.compile(r"\s+")


def _nows(value: Any) -> Any:
    return _WS.sub("", value) if isinstance(value, str) else value


def _input_file(folder: Path) -> Path:
    found = sorted(p for p in folder.iterdir() if p.name.startswith("input."))
    assert len(found) == 1, f"{folder.name}: expected exactly one input.* file, found {found}"
    return found[0]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell(path: str, expected: Any, got: Any, money: bool, diffs: list[str]) -> None:
    if expected is None:
        if got is not None:
            diffs.append(f"{path}: expected None (blank), got {got!r}")
        return
    if not _is_number(got):
        diffs.append(f"{path}: expected {expected!r}, got {got!r}")
        return
    if money:
        if Decimal(str(got)) != Decimal(str(expected)):
            diffs.append(f"{path}: expected {expected!r}, got {got!r}")
        return
    if not isinstance(got, int) or got != expected:
        diffs.append(f"{path}: expected {expected!r} (integer count), got {got!r}")


def _compare_table(
    name: str, expected: Any, got: Any, diffs: list[str], subset: bool = False
) -> None:
    if expected is None:
        if got is not None:
            diffs.append(f"{name}: expected null (table missing), got a table")
        return
    if not isinstance(got, dict):
        diffs.append(f"{name}: expected a table, got {got!r}")
        return
    if not subset:
        for extra in sorted(set(got) - set(expected)):
            diffs.append(f"{name}.{extra}: row not expected (got {got[extra]!r})")
    for row, exp_row in expected.items():
        if row not in got:
            diffs.append(f"{name}.{row}: row missing from record")
            continue
        got_row = got[row]
        if isinstance(exp_row, list):
            if not isinstance(got_row, list) or len(got_row) != len(exp_row):
                diffs.append(
                    f"{name}.{row}: expected {len(exp_row)} cells {exp_row}, got {got_row!r}"
                )
                continue
            for i, (e, g) in enumerate(zip(exp_row, got_row, strict=True)):
                _cell(f"{name}.{row}[{i}]", e, g, False, diffs)
        elif isinstance(exp_row, dict):
            if not isinstance(got_row, dict):
                diffs.append(f"{name}.{row}: expected {exp_row}, got {got_row!r}")
                continue
            for extra in sorted(set(got_row) - set(exp_row)):
                diffs.append(f"{name}.{row}.{extra}: field not expected (got {got_row[extra]!r})")
            for field, e in exp_row.items():
                if field not in got_row:
                    diffs.append(f"{name}.{row}.{field}: field missing from record")
                    continue
                _cell(f"{name}.{row}.{field}", e, got_row[field], (row, field) in MONEY, diffs)
        else:
            _cell(f"{name}.{row}", exp_row, got_row, False, diffs)


def _where_matches(expected: str | None, got: str | None) -> bool:
    if expected is None:
        return True
    got = got or ""
    if expected.endswith(".*"):
        base = expected[:-2]
        return got == base or got.startswith(base + ".")
    return got == expected


def _warning_matches(spec: dict, warning: dict) -> bool:
    codes = spec["code"] if isinstance(spec["code"], list) else [spec["code"]]
    if warning.get("code") not in codes:
        return False
    if not _where_matches(spec.get("where"), warning.get("where")):
        return False
    return not ("text" in spec and spec["text"] not in str(warning.get("text") or ""))


def _any_of(expected: Any) -> list:
    return expected if isinstance(expected, list) else [expected]


def compare(expected: dict, record: dict) -> list[str]:
    diffs: list[str] = []

    if "agency" in expected:
        got_agency = record.get("agency") or {}
        for key, e in expected["agency"].items():
            g = got_agency.get(key)
            if key == "name":
                if _nows(g) not in [_nows(x) for x in _any_of(e)]:
                    diffs.append(f"agency.name: expected {e!r}, got {g!r}")
            elif g != e:
                diffs.append(f"agency.{key}: expected {e!r}, got {g!r}")

    for key in ("year", "edition"):
        if key in expected and record.get(key) != expected[key]:
            diffs.append(f"{key}: expected {expected[key]!r}, got {record.get(key)!r}")

    if "title" in expected:
        g = record.get("title")
        if _nows(g) not in [_nows(x) for x in _any_of(expected["title"])]:
            diffs.append(f"title: expected {expected['title']!r}, got {g!r}")

    if "published" in expected:
        g = record.get("published")
        g = None if g is None else str(g)
        if g != expected["published"]:
            diffs.append(f"published: expected {expected['published']!r}, got {g!r}")

    if "period" in expected:
        e, g = expected["period"], record.get("period")
        if e is None:
            if g is not None and any(v is not None for v in g.values()):
                diffs.append(f"period: expected null, got {g!r}")
        else:
            g = g or {}
            for k in ("start", "end"):
                gv = None if g.get(k) is None else str(g.get(k))
                if gv != e.get(k):
                    diffs.append(f"period.{k}: expected {e.get(k)!r}, got {gv!r}")

    if "contact" in expected:
        e, g = expected["contact"], record.get("contact")
        if e is None:
            if g is not None and any(v is not None for v in g.values()):
                diffs.append(f"contact: expected null (report states none), got {g!r}")
        else:
            g = g or {}
            for k, ev in e.items():
                gv = g.get(k)
                if _nows(gv) != _nows(ev):
                    diffs.append(f"contact.{k}: expected {ev!r}, got {gv!r}")

    for table in ("proactive", "requests", "appeals"):
        if table in expected:
            _compare_table(table, expected[table], record.get(table), diffs)
    if "requests_subset" in expected:
        _compare_table(
            "requests", expected["requests_subset"], record.get("requests"), diffs, subset=True
        )

    sections = record.get("sections") or {}
    for key, present in (expected.get("sections_present") or {}).items():
        text = sections.get(key)
        # A section found only by its table (no narrative) is present with text "".
        has = isinstance(text, str)
        if has != present:
            diffs.append(
                f"sections.{key}: expected {'content' if present else 'null'}, got {text!r:.60}"
            )
    for key, e in (expected.get("sections_text") or {}).items():
        g = sections.get(key)
        if _nows(g) != _nows(e):
            diffs.append(f"sections.{key}: expected text {e!r}, got {g!r:.200}")

    warnings = (record.get("parse") or {}).get("warnings") or []
    for spec in expected.get("warnings_include") or []:
        if not any(_warning_matches(spec, w) for w in warnings):
            diffs.append(f"parse.warnings: missing {spec}")
    for spec in expected.get("warnings_exclude") or []:
        spec = spec if isinstance(spec, dict) else {"code": spec}
        for w in warnings:
            if _warning_matches(spec, w):
                diffs.append(
                    f"parse.warnings: unexpected {w.get('code')} at {w.get('where')} "
                    f"(line {w.get('line')}, text {w.get('text')!r})"
                )
    return diffs


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    from conftest import parse_file  # imported here: the parser is written in parallel

    folder = GOLDEN / case
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    record = parse_file(_input_file(folder), f"tests/golden/{case}/input.txt").to_dict()
    diffs = compare(expected, record)
    assert not diffs, f"{case}: {len(diffs)} difference(s)\n  " + "\n  ".join(diffs)


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 20, CASES
