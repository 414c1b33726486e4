"""Parse benchmark: median time per text report (goal: < 20 ms on one core, issue 3).

    python bench/parse.py [--runs N] [FILES...]      (default: every report under reports/)

Prints one row per file and the median over all; nothing is asserted (goals live here, not in
tests). The first run of each file is a warm-up (jieba/opencc loading is not parse time).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generator.ingest import read_document
from generator.parse import parse_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    files = args.files or sorted(Path("reports").rglob("*.txt")) + sorted(
        Path("tests/golden").glob("*/input.txt")
    )
    print(f"{'file':<60} {'read ms':>8} {'parse ms':>9}")
    medians = []
    for path in files:
        document = read_document(path)
        parse_document(document)  # warm-up
        reads, parses = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            document = read_document(path)
            middle = time.perf_counter()
            parse_document(document)
            end = time.perf_counter()
            reads.append((middle - start) * 1000)
            parses.append((end - middle) * 1000)
        total = statistics.median(r + p for r, p in zip(reads, parses, strict=True))
        medians.append(total)
        print(
            f"{str(path)[-60:]:<60} {statistics.median(reads):8.2f} {statistics.median(parses):9.2f}"
        )
    print(
        f"\nmedian read+parse per report over {len(files)} files: {statistics.median(medians):.2f} ms (goal < 20 ms)"
    )


if __name__ == "__main__":
    main()
