"""Pages made in a pool of processes (generator/pool.py): the same bytes as made one
by one, and a page that raises in a worker is made again in the parent, which reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RULES, copy_samples, spy_on_pool

import generator.render
from generator import pool
from generator.pipeline import check_corpus_records, load_corpus
from generator.render import reports


def _snapshot(content: Path) -> dict[str, bytes]:
    return {
        p.relative_to(content).as_posix(): p.read_bytes()
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }


def _render(reports_dir: Path, content: Path, cache: Path | None) -> dict[str, bytes]:
    corpus = check_corpus_records(load_corpus(reports_dir), None)
    result = generator.render.render_site(corpus, RULES, content, cache_dir=cache)
    assert not result.faults
    return _snapshot(content)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    copy_samples(folder)
    return folder


def test_made_in_processes_gives_each_jobs_texts_in_order(monkeypatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 2)

    def make(job: int) -> dict[str, str]:
        if job == 3:
            raise ValueError("a template bug")
        return {"page": f"第{job}页"}

    made = list(pool.made_in_processes(make, list(range(7)), workers=2))
    assert made == [{"page": f"第{n}页"} if n != 3 else None for n in range(7)]
    # too few jobs, or one core: the caller makes them
    assert list(pool.made_in_processes(make, [1, 2], workers=2)) == [None, None]
    assert list(pool.made_in_processes(make, list(range(7)), workers=1)) == [None] * 7


@pytest.mark.parametrize("cache", [False, True])
def test_a_pool_renders_the_bytes_of_one_process(samples, tmp_path, monkeypatch, cache) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 10**9)
    alone = _render(samples, tmp_path / "alone", tmp_path / "cache1" if cache else None)
    calls = spy_on_pool(monkeypatch, generator.render, "made")
    pooled = _render(samples, tmp_path / "pooled", tmp_path / "cache2" if cache else None)
    assert pooled == alone
    # the reports, then their 5 agencies, then the corpus pages (home, indexes, regions, ...,
    # the cell-anchor script)
    assert calls == ["5 made, 5 in the pool"] * 2 + ["13 made, 13 in the pool"]


def test_a_page_that_raises_in_a_worker_is_reported_by_the_parent(
    samples, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 0)
    real = reports.report_page_text

    def broken(env, catalog, record, *args):  # type: ignore[no-untyped-def]
        if record.key == "weidongqu-zhengfuban/2021":
            raise RuntimeError("模板出错")
        return real(env, catalog, record, *args)

    monkeypatch.setattr(reports, "report_page_text", broken)
    corpus = check_corpus_records(load_corpus(samples), None)
    result = generator.render.render_site(corpus, RULES, tmp_path / "content")
    assert [fault.record_id for fault in result.faults] == ["weidongqu-zhengfuban/2021"]
    assert "模板出错" in result.faults[0].failure.reason
    assert not list((tmp_path / "content" / "reports").glob("weidongqu-zhengfuban/*"))


def test_corpus_pages_not_kept_as_text_are_written_by_the_parent(tmp_path, monkeypatch) -> None:
    """The corpus pages made in workers come back as texts (generator/render _written_apart);
    a job that streams a file or publishes a copy fails there and runs again in the parent,
    and nothing is written into the worker's folder."""
    from generator.render import _written_apart
    from generator.render.output import ContentWriter

    source = tmp_path / "source.txt"
    source.write_text("原文", "utf-8")

    def text(writer: ContentWriter) -> None:
        writer.add("a.md", "甲")

    def streamed(writer: ContentWriter) -> None:
        with writer.stream("data/b.csv") as out:
            out.write("x\r\n")

    def copied(writer: ContentWriter) -> None:
        writer.add_copy("c.txt", source)

    worker_folder = tmp_path / "cwd"
    worker_folder.mkdir()
    monkeypatch.chdir(worker_folder)
    writer = ContentWriter(tmp_path / "content")
    _written_apart(writer, True, [text, streamed, copied])
    writer.commit()
    assert (tmp_path / "content/a.md").read_text("utf-8") == "甲"
    assert (tmp_path / "content/data/b.csv").read_bytes() == b"x\r\n"
    assert (tmp_path / "content/c.txt").read_text("utf-8") == "原文"
    assert list(worker_folder.iterdir()) == []
