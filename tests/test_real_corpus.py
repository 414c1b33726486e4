"""Real reports, read exactly: every labelled value of the real-report corpus (tests/real/).

Each of the 156 excerpts of real published reports was labelled by hand, and every label
of the excerpts added here was made twice, blind, by two people (tests/real/README.md). Every
labelled table cell and fact (year, edition, agency) must be read exactly, or be listed in
tests/real/deliberate.yml as a deliberate null with the warning the record carries for it. A
value read as a different number is never allowed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from generator.ingest import read_document
from generator.parse import parse_document

REAL = Path(__file__).parent / "real"
sys.path.insert(0, str(REAL))
from labels import Label, fact_outcomes, labelled_cells, labels, score  # noqa: E402

LABELS = labels()
DELIBERATE: dict[str, dict[str, dict]] = yaml.safe_load(
    (REAL / "deliberate.yml").read_text("utf-8")
)


def _record(label: Label) -> dict:
    return parse_document(read_document(label.raw, f"{label.id}.txt")).to_dict()


def test_the_corpus_has_at_least_150_real_reports_each_with_its_source():
    assert len(LABELS) >= 150
    for label in LABELS:
        assert label.raw.is_file(), label.id
        assert str(label.truth.get("url", "")).startswith("http"), label.id
        assert str(label.truth["id"]) == label.id


@pytest.mark.parametrize("label", LABELS, ids=[label.id for label in LABELS])
def test_every_labelled_value_is_exact_or_a_documented_null(label: Label):
    record = _record(label)
    warnings = record["parse"]["warnings"]
    documented = DELIBERATE.get(label.id, {})
    problems = []
    for outcome in score(label.truth, record):
        expected = documented.get(outcome.path)
        if outcome.verdict == "exact":
            if expected is not None:
                problems.append(f"{outcome.path}: read now; remove it from deliberate.yml")
            continue
        if outcome.verdict == "wrong":
            problems.append(
                f"{outcome.path}: WRONG {outcome.got!r}, report prints {outcome.expected!r}"
            )
        elif expected is None:
            problems.append(f"{outcome.path}: null, report prints {outcome.expected!r}")
        else:
            row = ".".join(outcome.path.split(".")[:2])
            codes = {w["code"] for w in warnings if (w.get("where") or "").startswith(row)}
            if expected["warning"] not in codes:
                problems.append(f"{outcome.path}: null without its {expected['warning']} warning")
    facts = {
        "year": record["year"],
        "edition": record["edition"],
        "agency": record["agency"]["name"],
    }
    for fact, ok in fact_outcomes(label.truth, record).items():
        expected = documented.get(fact)
        if ok:
            if expected is not None:
                problems.append(f"{fact}: read now; remove it from deliberate.yml")
        elif facts[fact] is not None:
            problems.append(f"{fact}: WRONG {facts[fact]!r}")
        elif expected is None:
            problems.append(f"{fact}: not read")
        elif expected["warning"] and expected["warning"] not in {w["code"] for w in warnings}:
            problems.append(f"{fact}: null without its {expected['warning']} warning")
    assert not problems, f"{label.id} ({label.family}):\n" + "\n".join(problems)


def test_deliberate_nulls_name_labelled_values_only():
    by_id = {label.id: label for label in LABELS}
    for report, entries in DELIBERATE.items():
        assert report in by_id, report
        truth = by_id[report].truth
        for path, entry in entries.items():
            assert entry["reason"].strip(), (report, path)
            if path in ("year", "edition"):
                assert truth.get(path) is not None, (report, path)
            elif path == "agency":
                assert truth.get("agency_contains"), report
            else:
                assert path in labelled_cells(truth), (report, path)
