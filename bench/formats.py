"""Benchmark the PDF and DOCX readers against the libraries' own extraction (not run by tests).

    .venv/bin/python bench/formats.py [--runs 7]

Builds the format fixtures (tests/fixtures/formats/make_fixtures.py) in a temporary folder and
prints, per file, the median milliseconds per page of:
  reader     generator.ingest.<format>.read (bytes -> Document)
  +parse     reader + generator.parse.parse_document (when the parser imports)
  library    pdfplumber: open + page.extract_text() + page.find_tables() on every page;
             python-docx: docx.Document(file) (load only)
A DOCX has no page count of its own, so its times are divided by the page count of the PDF
made from the same report.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.ingest import docx as docx_reader  # noqa: E402
from generator.ingest import pdf as pdf_reader  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pdfplumber_baseline(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.find_tables()


def python_docx_baseline(data: bytes) -> None:
    import docx

    docx.Document(io.BytesIO(data))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", ROOT / "tests" / "fixtures" / "formats" / "make_fixtures.py"
    )
    maker = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = maker
    spec.loader.exec_module(maker)
    try:
        from generator.parse import parse_document
    except ImportError:
        parse_document = None

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        specs = maker.build_all(out)
        for name in specs:
            pdf_data = (out / f"{name}.pdf").read_bytes()
            pages = pdf_reader.read(pdf_data, name).pages or 1
            for fmt, reader, baseline in (
                ("pdf", pdf_reader.read, pdfplumber_baseline),
                ("docx", docx_reader.read, python_docx_baseline),
            ):
                data = (out / f"{name}.{fmt}").read_bytes()
                ours = median_ms(lambda d=data, r=reader: r(d, "bench"), args.runs)
                full = (
                    median_ms(lambda d=data, r=reader: parse_document(r(d, "bench")), args.runs)
                    if parse_document
                    else float("nan")
                )
                lib = median_ms(lambda d=data, b=baseline: b(d), args.runs)
                rows.append((f"{name}.{fmt}", pages, ours / pages, full / pages, lib / pages))

    header = ("file", "pages", "reader ms/p", "+parse ms/p", "library ms/p", "reader/library")
    print(
        f"{header[0]:<10} {header[1]:>5} {header[2]:>12} {header[3]:>12} {header[4]:>13} {header[5]:>15}"
    )
    for file, pages, ours, full, lib in rows:
        print(f"{file:<10} {pages:>5} {ours:>12.1f} {full:>12.1f} {lib:>13.1f} {ours / lib:>15.2f}")
    print(f"\nmedian of {args.runs} runs each; DOCX per page uses the PDF's page count")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
