"""Parse cache (hits skip the parser; content or PARSER_VERSION changes invalidate) and the
parallel path (byte-identical to the serial one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, copy_samples, parse_file

import generator.parse
import generator.pipeline
from generator.cache import RecordCache
from generator.pipeline import load_corpus
from generator.record import record_to_yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    copy_samples(folder)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture
def counted(monkeypatch) -> list:
    calls: list = []
    real = generator.pipeline.parse_report

    def counting(task):
        calls.append(task[1])
        return real(task)

    monkeypatch.setattr(generator.pipeline, "parse_report", counting)
    return calls


def _yaml(corpus) -> list[str]:
    return [record_to_yaml(r) for r in corpus.records]


def test_cache_hit_skips_the_parser(reports, tmp_path, counted):
    cache = tmp_path / "cache"
    first = load_corpus(reports, cache_dir=cache)
    assert len(counted) == 6  # 5 samples + the empty file
    assert len(list((cache / "records").glob("*.json"))) == 5  # failures are not cached
    counted.clear()
    second = load_corpus(reports, cache_dir=cache)
    assert counted == [
        "empty.txt"
    ]  # failures are not cached: only the unreadable file is read again
    assert second.records == first.records and _yaml(second) == _yaml(first)
    assert second.failures == first.failures and second.sources == first.sources


def test_cached_records_equal_fresh_parses(reports, tmp_path):
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    assert _yaml(load_corpus(reports, cache_dir=cache)) == _yaml(load_corpus(reports))


def test_content_change_invalidates(reports, tmp_path, counted):
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    counted.clear()
    changed = next(reports.rglob("伊美区*.txt"))
    changed.write_text(changed.read_text("utf-8") + "\n", "utf-8")
    corpus = load_corpus(reports, cache_dir=cache)
    assert [Path(c).name for c in counted if c.endswith(".txt") and "empty" not in c] == [
        changed.name
    ]
    record = next(r for r in corpus.records if r.source.file.endswith(changed.name))
    assert record.source.sha256 == generator.cache.file_sha256(changed)


def test_parser_version_change_invalidates(reports, tmp_path, counted, monkeypatch):
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    counted.clear()
    monkeypatch.setattr(generator.parse, "PARSER_VERSION", generator.parse.PARSER_VERSION + "-next")
    load_corpus(reports, cache_dir=cache)
    assert len(counted) == 6


def test_moved_file_is_parsed_again(reports, tmp_path, counted):
    """The relative path is in the record (source.file, region), so it is part of the key."""
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    counted.clear()
    sample = next(reports.rglob("伊美区*.txt"))
    sample.rename(reports / sample.name)
    corpus = load_corpus(reports, cache_dir=cache)
    assert counted.count(sample.name) == 1
    assert any(r.source.file == sample.name for r in corpus.records)


def test_corrupt_or_foreign_entry_is_a_miss(reports, tmp_path, counted):
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    entries = sorted((cache / "records").glob("*.json"))
    entries[0].write_text("{not json", "utf-8")
    entries[1].write_text(
        '{"key": {"sha256": "x", "parser": "1.0", "file": "y"}, "record": {}}', "utf-8"
    )
    counted.clear()
    assert _yaml(load_corpus(reports, cache_dir=cache)) == _yaml(load_corpus(reports))
    assert len([c for c in counted if "empty" not in c]) == 2 + 5  # 2 misses, then the uncached run


def test_writes_are_atomic(tmp_path, monkeypatch):
    cache = RecordCache(tmp_path / "cache")
    record = parse_file(SAMPLES[0], "x.txt")
    cache.put("a" * 64, "x.txt", record)
    assert cache.get("a" * 64, "x.txt") == record
    replaced = []
    real_replace = generator.cache.os.replace
    monkeypatch.setattr(
        generator.cache.os,
        "replace",
        lambda s, d: replaced.append((Path(s).parent, Path(d).parent)) or real_replace(s, d),
    )
    cache.put("b" * 64, "x.txt", record)
    assert replaced == [(cache.folder, cache.folder)]  # temp file in the same folder, then rename
    assert not list(cache.folder.glob(".tmp-*"))


def test_unwritable_cache_does_not_fail_the_build(reports, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    assert _yaml(load_corpus(reports, cache_dir=blocker)) == _yaml(load_corpus(reports))


def test_parallel_equals_serial(reports, tmp_path, monkeypatch):
    import generator.batch

    for n in range(3):  # more files than workers, and duplicate pairs
        # next to the original: a republished report of the same agency at the same place
        original = next(reports.rglob(SAMPLES[n].name))
        shutil.copy(SAMPLES[n], original.with_name(f"copy-{n}.txt"))
    serial = load_corpus(reports)
    pools = []
    real_pool = generator.batch.ProcessPoolExecutor
    monkeypatch.setattr(
        generator.batch, "ProcessPoolExecutor", lambda **kw: pools.append(kw) or real_pool(**kw)
    )
    parallel = load_corpus(reports, parallel_threshold=0, workers=2)
    assert pools == [{"max_workers": 2}]  # the parallel path ran
    assert len(parallel.superseded) == 3
    assert _yaml(parallel) == _yaml(serial)
    assert parallel.records == serial.records
    assert parallel.failures == serial.failures and parallel.superseded == serial.superseded
    assert parallel.sources == serial.sources


def test_parallel_progress_advances_per_report(reports, tmp_path):
    seen = []

    def progress(items):
        assert len(items) == 6
        for item in items:
            seen.append(item)
            yield item

    load_corpus(reports, progress, parallel_threshold=0, workers=2)
    assert len(seen) == 6


def test_progress_counts_cached_reports_too(reports, tmp_path):
    cache = tmp_path / "cache"
    load_corpus(reports, cache_dir=cache)
    sizes = []

    def progress(items):
        sizes.append(len(items))
        yield from items

    load_corpus(reports, progress, cache_dir=cache)
    assert sizes == [6]


def test_cli_no_cache_flag(tmp_path, monkeypatch, capsys):
    from generator.cli import main

    copy_samples(tmp_path / "reports")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache"]) == 0
    assert not (tmp_path / ".cache").exists()
    assert main(["check"]) == 0
    assert len(list((tmp_path / ".cache" / "nianbao" / "records").glob("*.json"))) == 5
    assert "0 份报告被新版本取代" in capsys.readouterr().out
