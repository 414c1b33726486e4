"""Parser accuracy on the real-report corpus (tests/real/), per layout family and overall.

    python bench/accuracy.py [--show wrong|null|all] [--id NNN ...]

Every labelled table cell is exact, null (a labelled number read as null) or wrong (a
different number, or a number where the label is blank); year, edition and agency are
scored apart. The last line is the overall figure (the before-stop hook prints it).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "real"))

from labels import Label, fact_outcomes, labels, score  # noqa: E402

from generator.ingest import read_document  # noqa: E402
from generator.parse import parse_document  # noqa: E402


def parse_label(label: Label) -> dict:
    return parse_document(read_document(label.raw, f"{label.id}.txt")).to_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=("wrong", "null", "all"), default=None)
    parser.add_argument("--id", nargs="*", default=None)
    args = parser.parse_args(argv)
    chosen = [label for label in labels() if not args.id or label.id in args.id]
    by_family: dict[str, Counter] = defaultdict(Counter)
    facts: Counter = Counter()
    fact_misses: list[str] = []
    exact_reports = 0
    for label in chosen:
        record = parse_label(label)
        outcomes = score(label.truth, record)
        counts = Counter(outcome.verdict for outcome in outcomes)
        family = by_family[label.family]
        family.update(counts)
        family["reports"] += 1
        if counts["exact"] == len(outcomes):
            family["reports exact"] += 1
            exact_reports += 1
        for fact, ok in fact_outcomes(label.truth, record).items():
            facts[(fact, ok)] += 1
            if not ok:
                got = {
                    "year": record.get("year"),
                    "edition": record.get("edition"),
                    "agency": (record.get("agency") or {}).get("name"),
                }[fact]
                fact_misses.append(
                    f"{label.id} {fact}: expected {label.truth.get({'agency': 'agency_contains'}.get(fact, fact))!r}, got {got!r}"
                )
        if args.show:
            for outcome in outcomes:
                if args.show == "all" or outcome.verdict == args.show:
                    print(
                        f"{label.id} {outcome.verdict:5} {outcome.path}: expected {outcome.expected!r}, got {outcome.got!r}"
                    )
    total: Counter = Counter()
    print(
        f"{'layout family':<32} {'reports':>7} {'exact rep':>9} {'values':>7} {'exact':>7} {'null':>6} {'wrong':>6}"
    )
    for name in sorted(by_family):
        c = by_family[name]
        total.update(c)
        values = c["exact"] + c["null"] + c["wrong"]
        print(
            f"{name:<32} {c['reports']:>7} {c['reports exact']:>9} {values:>7} "
            f"{c['exact']:>7} {c['null']:>6} {c['wrong']:>6}"
        )
    for fact in ("year", "edition", "agency"):
        ok, bad = facts[(fact, True)], facts[(fact, False)]
        print(f"{fact}: {ok} of {ok + bad} right")
    for miss in fact_misses:
        print("  " + miss)
    values = total["exact"] + total["null"] + total["wrong"]
    share = 100 * total["exact"] / values if values else 0.0
    print(
        f"real corpus: {total['exact']} of {values} labelled values exact ({share:.1f}%), "
        f"{total['null']} null, {total['wrong']} wrong; {exact_reports} of {len(chosen)} reports exact"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
