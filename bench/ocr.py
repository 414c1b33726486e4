"""Benchmark the OCR engines on the scanned fixtures (not run by tests).

    .venv/bin/python bench/ocr.py [--engines tesseract,rapidocr]

Builds the format fixtures and their scans (tests/fixtures/formats/make_scans.py: 150 dpi,
±1°, blur, speckle) in a temporary folder, reads each scan with each engine through the real
reader (generator/ingest/ocr.py: deskew, grid, cell by cell) and the parser, and compares every
table value with the golden records. Prints per engine: seconds per page (one process, one
report at a time) and values exact / null / wrong; then, for each engine, how the counts move
with the confidence threshold (generator.parse.numbers.OCR_MIN_CONFIDENCE), from the same
readings. RapidOCR needs the bench extra: pip install -e ".[bench]".

    .venv/bin/python bench/ocr.py --mixed

instead reads PDFs that have text pages and scanned pages (each fixture PDF with the pages of
MIXED taken from its scan) with the default engine, and prints per PDF the read time and the
values exact / null / wrong.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

import generator.parse.numbers as numbers  # noqa: E402
from generator.ingest import ocr_engines, read_document  # noqa: E402
from generator.parse import parse_document  # noqa: E402

SEEDS = ("000", "001", "002", "003", "004")
TABLES = ("proactive", "requests", "appeals")
THRESHOLDS = (0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 0.99)
MIXED = (
    ("004", (3,)),
    ("004", (4,)),
    ("001", (1, 3)),
    ("002", (2,)),
    ("000", (2, 3)),
    ("003", (1,)),
)
"""(seed, its pages taken from the scan): table pages, text pages, the first and a middle page."""


def mixed_pdf(text_pdf: Path, scan_pdf: Path, scanned: tuple[int, ...], out: Path) -> Path:
    import pypdfium2

    text = pypdfium2.PdfDocument(str(text_pdf))
    scan = pypdfium2.PdfDocument(str(scan_pdf))
    mixed = pypdfium2.PdfDocument.new()
    for index in range(len(text)):
        mixed.import_pages(scan if index + 1 in scanned else text, [index])
    mixed.save(str(out))
    return out


def bench_mixed(out: Path, scans: dict[str, Path], golden: dict[str, dict]) -> None:
    print(f"{'seed':<5} {'scanned':<8} {'seconds':>7} {'exact':>6} {'null':>5} {'wrong':>6}")
    for seed, pages in MIXED:
        name = f"{seed}-mixed-{'-'.join(map(str, pages))}.pdf"
        path = mixed_pdf(out / f"{seed}.pdf", scans[seed], pages, out / name)
        start = time.perf_counter()
        record = parse_document(read_document(path, name))
        seconds = time.perf_counter() - start
        counts = score(record.to_dict(), golden[seed])
        shown = ",".join(map(str, pages))
        print(
            f"{seed:<5} {shown:<8} {seconds:>7.1f} {counts['exact']:>6} {counts['null']:>5} "
            f"{counts['wrong']:>6}"
        )


def load(name: str):
    path = ROOT / "tests" / "fixtures" / "formats" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


def flat(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flat(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from flat(item, f"{path}.{index}")
    else:
        yield path, value


def score(record: dict, gold: dict) -> dict[str, int]:
    counts = {"exact": 0, "null": 0, "wrong": 0}
    for table in TABLES:
        got = dict(flat(record[table]))
        for path, value in flat(gold[table]):
            read = got.get(path, "missing")
            counts["exact" if read == value else "null" if read is None else "wrong"] += 1
    return counts


def add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="tesseract,rapidocr")
    parser.add_argument("--mixed", action="store_true", help="PDFs with text and scanned pages")
    args = parser.parse_args()
    golden = {
        seed: yaml.safe_load(
            (ROOT / "tests" / "golden" / f"seed_{seed}" / "expected.yaml").read_text("utf-8")
        )
        for seed in SEEDS
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        load("make_fixtures").build_all(out)
        scans = load("make_scans").build_scans(out, out / "scans", SEEDS)
        if args.mixed:
            bench_mixed(out, scans, golden)
            return
        sweeps = {}
        print(f"{'engine':<22} {'pages':>5} {'s/page':>7} {'exact':>6} {'null':>5} {'wrong':>6}")
        for name in args.engines.split(","):
            os.environ["NIANBAO_OCR_ENGINE"] = name
            try:
                engine = ocr_engines.engine(name)
            except ocr_engines.EngineMissing as exc:
                print(f"{name:<22} not available: {exc}")
                continue
            total: dict[str, int] = {}
            pages = 0
            seconds = 0.0
            docs = []
            for seed, path in scans.items():
                start = time.perf_counter()
                doc = read_document(path, path.name)
                record = parse_document(doc)
                seconds += time.perf_counter() - start
                pages += doc.pages or 0
                docs.append((seed, doc))
                add(total, score(record, golden[seed]))
            label = f"{engine.name} {engine.version}"
            print(
                f"{label:<22} {pages:>5} {seconds / pages:>7.2f} {total['exact']:>6} "
                f"{total['null']:>5} {total['wrong']:>6}"
            )
            sweeps[label] = docs
        default = numbers.OCR_MIN_CONFIDENCE
        for label, docs in sweeps.items():
            print(f"\n{label}: values exact / null / wrong by confidence threshold")
            for threshold in THRESHOLDS:
                numbers.OCR_MIN_CONFIDENCE = threshold
                total = {}
                for seed, doc in docs:
                    add(total, score(parse_document(doc), golden[seed]))
                mark = "  <- OCR_MIN_CONFIDENCE" if threshold == default else ""
                print(
                    f"  {threshold:>4.2f}  {total['exact']:>4} / {total['null']:>3} / "
                    f"{total['wrong']:>3}{mark}"
                )
            numbers.OCR_MIN_CONFIDENCE = default


if __name__ == "__main__":
    main()
