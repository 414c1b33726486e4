"""The real-report corpus (tests/real/): hand-checked labels and how a record is scored on them.

`raw/NNN.txt` is one real report excerpt as stored (see README.md), `truth/NNN.yaml` its label.
A label lists only what is completely visible; every labelled cell is scored:

    exact   the record has the labelled value (null where the label is null)
    null    the label has a number, the record null (a miss: never invents a value)
    wrong   the record has a different number, or a number where the label is null

Used by tests/test_real_corpus.py (every value exact or a documented deliberate null) and
bench/accuracy.py (figures per layout family).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.record import REQUEST_COLUMNS

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
TRUTH = HERE / "truth"

# Layout families, from the label's `layout` line (first match wins; checked by eye on the corpus).
FAMILIES = (
    ("space-separated line", r"space-separated|whole table flattened onto one line"),
    ("separators lost", r"separators lost|all separators lost|run together"),
    ("flattened, empties dropped", r"flattened|empty cells dropped"),
    ("markdown rows", r"markdown-like|markdown rows|markdown table"),
    (
        "cell and bare | alternating",
        r"bare \"\|\" line between|\"\|\" line after every cell|cell / bare|alternating",
    ),
    ("pipe rows", r"pipe rows|compact pipe|pipe cells"),
    (
        "cell per line ending |",
        r"terminated by \" \|\"|ending \" \|\"|cell per line ending|\" \|\" cells",
    ),
    ("cell per line, no separators", r"no pipes|no separators|no blank lines"),
    ("blank-line cells", r"blank lines|blank-line"),
)


def family(layout: str) -> str:
    for name, pattern in FAMILIES:
        if re.search(pattern, layout):
            return name
    return "other"


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    truth: dict[str, Any]

    @property
    def raw(self) -> Path:
        return RAW / f"{self.id}.txt"

    @property
    def family(self) -> str:
        return family(str(self.truth.get("layout") or ""))

    @property
    def traditional(self) -> bool:
        return "traditional" in str(self.truth.get("layout") or "")


def labels() -> list[Label]:
    return [
        Label(path.stem, yaml.safe_load(path.read_text("utf-8")))
        for path in sorted(TRUTH.glob("*.yaml"))
    ]


def labelled_cells(truth: dict[str, Any]) -> dict[str, Any]:
    """{key path: value} of every labelled table cell (requests.received.total, ...)."""
    cells: dict[str, Any] = {}
    for row, fields in (truth.get("proactive") or {}).items():
        for field, value in (fields or {}).items():
            cells[f"proactive.{row}.{field}"] = value
    for row, values in (truth.get("requests") or {}).items():
        for column, value in zip(REQUEST_COLUMNS, values or (), strict=False):
            cells[f"requests.{row}.{column}"] = value
    for group, fields in (truth.get("appeals") or {}).items():
        for field, value in (fields or {}).items():
            cells[f"appeals.{group}.{field}"] = value
    return cells


def record_cell(record: dict[str, Any], path: str) -> Any:
    """The record's value at a key path; None when the table, row or cell is absent."""
    table, row, field = path.split(".")
    rows = record.get(table) or {}
    values = rows.get(row)
    if table == "requests":
        if not isinstance(values, list):
            return None
        index = REQUEST_COLUMNS.index(field)
        return values[index] if index < len(values) else None
    return (values or {}).get(field) if isinstance(values, dict) else None


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    expected: Any
    got: Any

    @property
    def verdict(self) -> str:
        if _same(self.expected, self.got):
            return "exact"
        if self.got is None:
            return "null"
        return "wrong"


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    return isinstance(a, int | float) and isinstance(b, int | float) and float(a) == float(b)


def score(truth: dict[str, Any], record: dict[str, Any]) -> list[Outcome]:
    """One outcome per labelled table cell."""
    return [
        Outcome(path, expected, record_cell(record, path))
        for path, expected in labelled_cells(truth).items()
    ]


def fact_outcomes(truth: dict[str, Any], record: dict[str, Any]) -> dict[str, bool]:
    """year, edition and agency as labelled: {fact: record agrees}. Only labelled facts."""
    facts: dict[str, bool] = {}
    if truth.get("year") is not None:
        facts["year"] = record.get("year") == truth["year"]
    if truth.get("edition") is not None:
        facts["edition"] = record.get("edition") == str(truth["edition"])
    if truth.get("agency_contains"):
        name = (record.get("agency") or {}).get("name") or ""
        facts["agency"] = _agency_matches(truth["agency_contains"], name)
    return facts


def _agency_matches(expected: str, name: str) -> bool:
    """The record's name holds the labelled part (compared without pinyin glosses and in
    simplified characters, as the parser names agencies in the printed script)."""
    from generator.parse.normalize import to_simplified

    def plain(text: str) -> str:
        return to_simplified(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text))

    return bool(name) and plain(expected) in plain(name)
