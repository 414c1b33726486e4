"""Whole-pipeline property: any mix of valid reports and arbitrary files is accounted for.

Random folders of sample reports (copied, truncated, renamed, the same name in several
folders), random bytes and random text under report and non-report suffixes, hidden files and
random corrections sidecars are gathered, checked and rendered (everything but MkDocs): no
exception, every file is a record, a previous version or listed, and no two folders of
different places are ever merged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath

from conftest import SAMPLES, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import RULES
from generator.model import Record
from generator.model.identity import place_key
from generator.pipeline import check_corpus_records, load_corpus
from generator.render import render_site

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (
    "",
    "河南省/平顶山市/卫东区",
    "河北省/石家庄市/新华区",
    "河南省/洛阳市/新华区",
    "福建省/三明市/建宁县/伊家乡",
    "杂项",
    "杂项/子目录",
)
NAMES = ("2021年报", "卫东区政府办-2021年报", "报告", "说明", "伊家乡人民政府-2020年报", "a")
SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".wps", ".xlsx", ".csv", "", ".txt~")

sample_file = st.tuples(
    st.just("sample"),
    st.sampled_from(range(len(SAMPLES))),
    st.sampled_from([1.0, 1.0, 0.5, 0.1, 0.0]),  # whole, or truncated to a share of its bytes
)
random_bytes = st.tuples(st.just("bytes"), st.binary(max_size=300), st.just(0.0))
random_text = st.tuples(st.just("text"), st.text(max_size=300), st.just(0.0))
sidecar = st.tuples(
    st.just("sidecar"),
    st.sampled_from(
        [
            "- {path: requests.granted.total, value: 1, reason: r, by: b, date: 2022-01-01}\n",
            "- {path: year, value: 2019, reason: r, by: b, date: 2022年1月1日}\n",
            "- {path: nonsense, value: 1, reason: r, by: b, date: 2022-01-01}\n",
            "not: [valid",
            "",
        ]
    ),
    st.just(0.0),
)
entry = st.tuples(
    st.sampled_from(FOLDERS),
    st.sampled_from(NAMES),
    st.sampled_from(SUFFIXES),
    st.booleans(),  # hidden (a leading dot)
    st.one_of(sample_file, sample_file, random_bytes, random_text, sidecar),
)


def _write(reports: Path, entries) -> dict[str, str]:
    """Write the files; return {relative path: kind} of every file written."""
    written: dict[str, str] = {}
    for folder, name, suffix, hidden, (kind, content, share) in entries:
        file_name = ("." if hidden else "") + name + suffix
        if kind == "sidecar":
            file_name = name + ".txt.corrections.yml"
        rel = PurePosixPath(folder, file_name).as_posix()
        if rel in written:
            continue
        path = reports / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "sample":
            data = SAMPLES[content].read_bytes()
            path.write_bytes(data[: int(len(data) * share)])
        elif kind == "bytes":
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8", errors="surrogatepass")
        written[rel] = kind
    return written


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(entry, min_size=1, max_size=10))
def test_every_file_is_accounted_for_and_strangers_never_merge(entries):
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        reports.mkdir()
        try:
            written = _write(reports, entries)
        except UnicodeEncodeError:
            return  # a lone surrogate cannot be a file's text
        corpus = check_corpus_records(load_corpus(reports), None)
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        result = render_site(corpus, RULES, content)
        corpus = corpus.without({fault.record_id: fault.failure for fault in result.faults})

        # a sidecar next to its report is part of that report, not an input of its own
        sidecars = {
            rel
            for rel, kind in written.items()
            if kind == "sidecar" and rel.removesuffix(".corrections.yml") in written
        }
        accounted = (
            [r.source.file for r in corpus.records]
            + [s.file for s in corpus.superseded]
            + [f.file for f in corpus.failures]
        )
        assert sorted(accounted) == sorted(set(written) - sidecars)
        assert corpus.inputs == len(accounted)
        assert result.faults == []  # the renderer handles everything the parser produces

        by_file = {r.source.file: r for r in corpus.records}
        for old in corpus.superseded:
            newer = by_file[old.superseded_by]
            previous = next(v for v in newer.previous_versions if v.file == old.file)
            assert previous.file == old.file
            # a previous version sits at the same place as the record it belongs to
            assert _place(old.file) == place_key(newer)
        for record in corpus.records:
            assert (content / "reports" / f"{record.id}.md").is_file()


def _place(file: str) -> tuple[str, ...]:
    """The place of a file, as the pipeline judges it (region folders, else the folder)."""
    from generator.parse.identity import region_from_path

    region = region_from_path(file)
    return place_key(
        Record.from_dict({"agency": {"region": region}, "source": {"file": file, "format": "txt"}})
    )
