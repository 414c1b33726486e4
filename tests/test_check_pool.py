"""Report findings made in a pool of processes (generator/pool.py): the same findings as
checked in one process, with the check cache or without, and a rule that raises in a worker
is checked again in the parent, which lists the report as check_corpus_records always did."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import copy_samples, spy_on_pool

import generator.check
import generator.check.catalogue as catalogue
from generator import pool
from generator.model.corpus import Corpus
from generator.pipeline import check_corpus_records, load_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    folder = tmp_path / "reports"
    copy_samples(folder)
    return load_corpus(folder)


@pytest.mark.parametrize("cache", [False, True])
def test_a_pool_finds_what_one_process_finds(corpus, tmp_path, monkeypatch, cache) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 10**9)
    alone = check_corpus_records(corpus, None, cache_dir=tmp_path / "c1" if cache else None)
    calls = spy_on_pool(monkeypatch, generator.check, "checked")
    pooled = check_corpus_records(corpus, None, cache_dir=tmp_path / "c2" if cache else None)
    assert calls == ["5 checked, 5 in the pool"]
    assert [r.checks for r in pooled.records] == [r.checks for r in alone.records]
    assert any(r.checks for r in alone.records)  # there is something to compare
    if cache:  # the pooled findings were kept: a second build checks none again
        again = check_corpus_records(corpus, None, cache_dir=tmp_path / "c2")
        assert calls[-1] == "0 checked, 0 in the pool"
        assert [r.checks for r in again.records] == [r.checks for r in alone.records]


def test_a_rule_that_raises_in_a_worker_is_told_by_the_parent(corpus, monkeypatch) -> None:
    rule = next(r for r in generator.check.RULES if r.id == "T3-01")
    real = rule.check
    broken = corpus.records[1].source.file

    def crashing(record):  # type: ignore[no-untyped-def]
        if record.source.file == broken:
            raise KeyError("unexpected")
        return real(record)

    patched = tuple(
        dataclasses.replace(r, check=crashing) if r is rule else r for r in generator.check.RULES
    )
    monkeypatch.setattr(catalogue, "RULES", patched)
    monkeypatch.setattr("generator.check.RULES", patched)
    calls = spy_on_pool(monkeypatch, generator.check, "checked")
    checked = check_corpus_records(corpus, None)
    assert calls[0] == "5 checked, 4 in the pool"  # the broken one came back as None
    failure = next(f for f in checked.failures if f.file == broken)
    assert failure.stage == "check" and "规则 T3-01" in failure.reason
    assert broken not in [r.source.file for r in checked.records]
    assert len(checked.records) == len(corpus.records) - 1
