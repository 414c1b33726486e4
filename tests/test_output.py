"""ContentWriter (generator/render/output.py): files written as they come, safely."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from generator.errors import NianbaoError
from generator.render.output import MANIFEST, ContentWriter


def test_unchanged_files_are_not_rewritten_and_stale_ones_go(tmp_path: Path) -> None:
    first = ContentWriter(tmp_path)
    first.add("a.md", "甲")
    first.add("old/b.md", "乙")
    with first.stream("data/big.csv") as out:
        out.write("x,y\r\n")
    first.commit()
    before = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in ("a.md", "data/big.csv")}
    inode = (tmp_path / "data/big.csv").stat().st_ino

    second = ContentWriter(tmp_path)
    second.add("a.md", "甲")
    with second.stream("data/big.csv") as out:
        out.write("x,y\r\n")
    assert second.commit() == [tmp_path / "a.md", tmp_path / "data/big.csv"]
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in before} == before
    assert (tmp_path / "data/big.csv").stat().st_ino == inode
    assert (tmp_path / "data/big.csv").read_bytes() == b"x,y\r\n"  # newlines kept as written
    assert not (tmp_path / "old").exists()  # stale file and its empty folder removed
    assert (tmp_path / MANIFEST).read_text("utf-8") == "a.md\ndata/big.csv\n"


def test_a_stream_that_fails_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/big.csv").write_text("old", "utf-8")
    writer = ContentWriter(tmp_path)
    with pytest.raises(RuntimeError), writer.stream("data/big.csv") as out:
        out.write("half")
        raise RuntimeError("render failed")
    assert (tmp_path / "data/big.csv").read_text("utf-8") == "old"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["big.csv"]


def test_a_changed_stream_replaces_the_file(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("old", "utf-8")
    with ContentWriter(tmp_path).stream("f.csv") as out:
        out.write("新")
    assert (tmp_path / "f.csv").read_text("utf-8") == "新"


@pytest.mark.parametrize(
    "rel", ["../x.md", "/abs.md", "a/../../x.md", "about.md", "assets/x.css", MANIFEST]
)
def test_paths_outside_or_hand_written_are_refused_before_writing(tmp_path: Path, rel: str) -> None:
    content = tmp_path / "content"
    writer = ContentWriter(content)
    with pytest.raises(NianbaoError, match="refusing"):
        writer.add(rel, "x")
    with pytest.raises(NianbaoError, match="refusing"), writer.stream(rel):
        pass
    assert not (tmp_path / "x.md").exists() and not list(tmp_path.rglob("*.md"))


def test_the_same_path_twice_is_an_error(tmp_path: Path) -> None:
    writer = ContentWriter(tmp_path)
    writer.add("a.md", "1")
    with pytest.raises(NianbaoError, match="two generated files"):
        writer.add("a.md", "2")
    assert (tmp_path / "a.md").read_text("utf-8") == "1"


def test_streamed_files_are_as_readable_as_written_ones(tmp_path: Path) -> None:
    """A site's files must be readable by the web server: a streamed file gets the same
    permissions as one written directly (not a temporary file's private 0600)."""
    writer = ContentWriter(tmp_path)
    writer.add("plain.csv", "x")
    with writer.stream("streamed.csv") as out:
        out.write("x")
    mode = (tmp_path / "plain.csv").stat().st_mode & 0o777
    assert (tmp_path / "streamed.csv").stat().st_mode & 0o777 == mode
    assert mode & 0o044  # group/other can read with the usual umask


def test_a_large_download_is_compressed_again_only_when_its_bytes_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = "data/findings.csv"
    compressed: list[int] = []
    compress = gzip.compress

    def counted(data: bytes, *args: int, **kwargs: float) -> bytes:
        compressed.append(len(data))
        return compress(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gzip, "compress", counted)

    def build(text: str) -> Path:
        writer = ContentWriter(tmp_path)
        writer.add(rel, text)
        writer.commit()
        return tmp_path / (rel + ".gz")

    packed = build("id,rule\na,T3-01\n")
    assert gzip.decompress(packed.read_bytes()) == b"id,rule\na,T3-01\n"
    os.utime(packed, ns=(packed.stat().st_mtime_ns + 10**9,) * 2)  # written after its file
    stamp = packed.stat().st_mtime_ns
    compressed.clear()
    assert build("id,rule\na,T3-01\n").stat().st_mtime_ns == stamp  # same bytes: kept
    assert compressed == []  # and not compressed again
    assert "data/findings.csv.gz" in (tmp_path / MANIFEST).read_text("utf-8")  # still its

    # a build that wrote the file and stopped before compressing it left an older .gz
    (tmp_path / rel).write_text("id,rule\nb,T4-01\n", "utf-8")
    os.utime(packed, ns=(1, 1))
    compressed.clear()
    assert gzip.decompress(build("id,rule\nb,T4-01\n").read_bytes()) == b"id,rule\nb,T4-01\n"
    assert len(compressed) == 1
    assert gzip.decompress(build("id,rule\nc,TX-07\n").read_bytes()) == b"id,rule\nc,TX-07\n"


def test_a_published_source_is_a_link_and_never_written_through(tmp_path: Path) -> None:
    """add_copy links the input report into content/ (no new file); a later build that
    writes other bytes at that path replaces the link, and the report keeps its bytes."""
    source = tmp_path / "reports" / "某县人民政府-2023年报.txt"
    source.parent.mkdir()
    source.write_bytes("一、总体情况\n".encode())
    content = tmp_path / "content"

    first = ContentWriter(content)
    first.add_copy("reports/x/2023.txt", source)
    first.commit()
    published = content / "reports/x/2023.txt"
    assert published.stat().st_ino == source.stat().st_ino
    assert "reports/x/2023.txt" in first.written

    again = ContentWriter(content)  # the same report: nothing to do
    again.add_copy("reports/x/2023.txt", source)
    again.commit()
    assert published.stat().st_ino == source.stat().st_ino and not again.written

    other = ContentWriter(content)  # the path now gets other bytes (not through the link)
    other.add("reports/x/2023.txt", "别的内容")
    other.commit()
    assert published.read_text("utf-8") == "别的内容"
    assert source.read_bytes() == "一、总体情况\n".encode()
    assert published.stat().st_ino != source.stat().st_ino
    assert [p.name for p in published.parent.iterdir()] == ["2023.txt"]  # no temp file left


def test_a_source_that_cannot_be_linked_is_copied(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "report.txt"
    source.write_bytes(b"text")
    target = tmp_path / "real.txt"
    target.write_bytes(b"elsewhere")
    link = tmp_path / "link.txt"
    link.symlink_to(target)

    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError("cross-device link")

    writer = ContentWriter(tmp_path / "content")
    writer.add_copy("a.txt", link)  # a symbolic link: its target's bytes, copied
    monkeypatch.setattr(os, "link", no_link)
    writer.add_copy("b.txt", source)  # another file system: copied
    writer.commit()
    assert (tmp_path / "content/a.txt").read_bytes() == b"elsewhere"
    assert not (tmp_path / "content/a.txt").is_symlink()
    assert (tmp_path / "content/b.txt").read_bytes() == b"text"
    assert (tmp_path / "content/b.txt").stat().st_ino != source.stat().st_ino
