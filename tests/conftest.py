"""Shared helpers for the tests, imported as `from conftest import ...` (no test module imports
another): hand-made records for the check and render tests, a project folder like `make site`
uses, and the parser as the pipeline calls it.

Hand-made records are written in their published form (the dicts of record.md) and read
through `Record.from_dict`, the boundary every record crosses; a mutation is a change of
that form (`setp("requests.received.0", 1)`).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator import record as spec
from generator.check import RULES
from generator.check import check_record as check_typed
from generator.ingest import read_document
from generator.model import Failure, Finding, Record
from generator.model.corpus import Corpus
from generator.parse import parse_document
from generator.record import (
    APPEAL_FIELDS,
    APPEAL_GROUPS,
    SECTION_KEYS,
    proactive_rows,
    request_rows,
)
from generator.render import render_site
from generator.render.output import MANIFEST
from generator.render.output import read_page as _read_page
from generator.site import copy_site_config

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
SAMPLE_FILES = (
    "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt",
    "河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021年报.txt",
    "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt",
    "黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt",
    "黑龙江省/双鸭山市/尖山区/尖山区人民政府-2021年报.txt",
)
"""The five sample reports the tests are written against, by their path under reports/. The
tests copy these, never the whole folder, so a report added to reports/ changes no test."""
SAMPLES = tuple(REPORTS / name for name in SAMPLE_FILES)


def spy_on_pool(monkeypatch: Any, module: Any, made: str) -> list[str]:
    """module's made_in_processes (generator/pool.py) sends every job to a two-worker pool;
    the list returned gets one line per call: how many jobs, how many made in the pool."""
    from generator import pool

    monkeypatch.setattr(pool, "PARALLEL_THRESHOLD", 0)
    calls: list[str] = []
    real = pool.made_in_processes

    def spy(make: Any, jobs: Sequence[Any], **kwargs: Any) -> Any:
        texts = list(real(make, jobs, workers=2))
        calls.append(f"{len(jobs)} {made}, {sum(t is not None for t in texts)} in the pool")
        return (t for t in texts)  # a generator, as the real one: its caller may close it

    monkeypatch.setattr(module, "made_in_processes", spy)
    return calls


_CELL_TABLE = re.compile(r'<table[^>]*\sdata-nb-cells="([^"]+)"[^>]*>(.*?)</table>', re.S)


def cell_anchor_lists(script: Path) -> dict[str, list[str]]:
    """The lists of cell ids in a generated cell-anchors.js, by table (`2021-requests`)."""
    found = re.search(r"var anchors = (\{.*?\});\n", script.read_text("utf-8"))
    assert found, f"{script}: no list of cell ids"
    return json.loads(found.group(1))


def built_cell(site: Path, page_html: str, anchor: str) -> str:
    """The <td> of a built page's value cell that the reader's browser gives the id `anchor`:
    the built page has no cell ids, site/js/cell-anchors.js gives the <td>s of each table
    (data-nb-cells) the ids of its list, in order. Fails unless the table has exactly as many
    <td>s as its list has ids (the script then gives none)."""
    lists = cell_anchor_lists(site / "js" / "cell-anchors.js")
    for key, table in _CELL_TABLE.findall(page_html):
        ids = lists[key]
        if anchor in ids:
            cells = re.findall(r"<td\b[^>]*>.*?</td>", table, re.S)
            assert len(cells) == len(ids), f"{key}: {len(cells)} cells, {len(ids)} ids"
            return cells[ids.index(anchor)]
    raise AssertionError(f"no table of the page has the cell {anchor}")


def copy_samples(folder: Path, names: Sequence[str] = SAMPLE_FILES) -> Path:
    """The sample reports (or some of them) copied into folder, at their paths; folder."""
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPORTS / name, target)
    return folder


FAST = os.environ.get("NIANBAO_FAST_TESTS") == "1"
"""Set by `make test-fast`: the property tests try a tenth of their examples."""


def examples(count: int) -> int:
    """How many examples a property test tries: `count`, or a tenth of it in the fast loop."""
    return max(5, count // 10) if FAST else count


def parse_file(path: Path, relative: str | None = None) -> Record:
    """Read and parse one report file, as the pipeline does (without corrections)."""
    return parse_document(read_document(path, relative))


def make_project(tmp: Path) -> Path:
    """A project folder with the committed site configuration and the sample reports."""
    project = copy_site_config(ROOT, tmp / "project")
    copy_samples(project / "reports")
    return project


# ---- hand-made records for the check tests ------------------------------------------------

OVERVIEW = (
    "本年主动公开政府信息120条。依申请公开方面，共收到政府信息公开申请0件。"
    "加强政府信息管理，推进政府信息公开平台建设，强化监督保障，"
    "开展年度考核、社会评议，落实责任追究。"
)
PROBLEMS = (
    "存在的主要问题是政策解读形式较为单一。改进情况：丰富解读形式，加强业务培训，提升公开质量。"
)
OTHER = "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年未收取信息处理费。"


def make_record(edition: str = "2021", year: int | None = None) -> dict[str, Any]:
    """A full, clean record of zeros that no rule objects to."""
    year = year if year is not None else (2021 if edition == "2021" else 2020)
    texts = {
        "overview": OVERVIEW,
        "proactive": None,
        "requests": None,
        "appeals": None,
        "problems": PROBLEMS,
        "other": OTHER,
    }
    return {
        "schema": "nianbao/record/1",
        "id": f"mou-xian/{year}",
        "agency": {
            "name": "某县人民政府",
            "region": {"province": None, "city": None, "county": None, "township": None},
        },
        "year": year,
        "edition": edition,
        "title": f"某县人民政府{year}年政府信息公开工作年度报告",
        "published": f"{year + 1}-01-20",
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "contact": {
            "address": "某县某路1号",
            "postcode": None,
            "phone": "0000-1234567",
            "email": None,
            "website": None,
        },
        "source": {
            "file": f"mou-xian-{year}.txt",
            "sha256": f"sha-{year}",
            "format": "txt",
            "pages": None,
        },
        "sections": texts,
        "proactive": {row: dict.fromkeys(fields, 0) for row, _, fields in proactive_rows(edition)},
        "requests": {row: [0] * 7 for row, _ in request_rows(edition)},
        "appeals": {group: dict.fromkeys(APPEAL_FIELDS, 0) for group, _ in APPEAL_GROUPS},
        "checks": [],
        "parse": {
            "version": "test",
            "headings": [
                {"section": key, "line": 10 * (i + 1), "text": key}
                for i, key in enumerate(SECTION_KEYS)
            ],
            "fingerprint": {"2019": [], "2021": []},
            "warnings": [],
        },
    }


def warn(code: str, where: str | None, text: str | None = None, line: int | None = 7):
    def mutate(r: dict) -> None:
        r["parse"]["warnings"].append(
            {"code": code, "message": code, "line": line, "where": where, "text": text}
        )

    return mutate


def setp(path: str, value: Any) -> Callable[[dict], None]:
    """Set a dotted path; a list index is an int part (requests.received.0)."""

    def mutate(r: dict) -> None:
        *parents, last = path.split(".")
        node: Any = r
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def delete(path: str) -> Callable[[dict], None]:
    def mutate(r: dict) -> None:
        *parents, last = path.split(".")
        node: Any = r
        for part in parents:
            node = node[part]
        del node[last]

    return mutate


def both(*mutations: Callable[[dict], None]) -> Callable[[dict], None]:
    def mutate(r: dict) -> None:
        for m in mutations:
            m(r)

    return mutate


def drop_heading(section: str) -> Callable[[dict], None]:
    def mutate(r: dict) -> None:
        r["parse"]["headings"] = [h for h in r["parse"]["headings"] if h["section"] != section]

    return mutate


def check_record(record: dict[str, Any], levels: dict[str, str] | None = None) -> list[Finding]:
    """The findings of a record in its published form (read through the model's boundary)."""
    return check_typed(Record.from_dict(record), levels)


# ---- hand-made records for the render and site tests ----------------------------------------

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
    "{{ 7*7 }} {% raw %} `code` *em* _u_ ~~s~~ !{: onclick=alert(1) }"
)
HOSTILE_LINES = "\n".join(
    [
        "# heading",
        "| a | b |",
        "| --- | --- |",
        '--8<-- "/etc/passwd"',
        "- item",
        "1. item",
        "> quote",
        "    indented code",
        "<script>alert(2)</script>",
        "[x](javascript:alert(1))",
        "正文第二段 {{ 7*7 }}",
        "标题行",
        "===",
    ]
)


def requests_table(edition: str, granted_total: int = 2) -> dict[str, list[int | None]]:
    rows = spec.request_rows(edition)
    table = {rid: [0, 0, 0, 0, 0, 0, 0] for rid, _ in rows}
    table["received"] = [5, 0, 0, 0, 0, 0, 5]
    table["granted"] = [granted_total, 0, 0, 0, 0, 0, granted_total]
    table["unable_not_held"] = [3, 0, 0, 0, 0, 0, 3]
    table["handled_total"] = [5, 0, 0, 0, 0, 0, 5]
    return table


def base_record(
    rid: str, name: str, year: int, edition: str | None, region: dict[str, Any] | None
) -> dict[str, Any]:
    """A hand-made record in its published form, for the render tests."""
    return {
        "schema": spec.SCHEMA,
        "id": rid,
        "agency": {
            "name": name,
            "region": region or {"province": None, "city": None, "county": None, "township": None},
        },
        "year": year,
        "edition": edition,
        "title": f"{name}{year}年政府信息公开工作年度报告",
        "published": f"{year + 1}-01-20",
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "contact": {
            "address": "伊春市伊美区政府大楼",
            "postcode": "153000",
            "phone": "0458-1234567",
            "email": None,
            "website": None,
        },
        "source": {
            "file": f"reports/{rid}.txt",
            "sha256": "0" * 64,
            "format": "txt",
            "pages": None,
        },
        "sections": {
            "overview": "本机关认真贯彻落实《条例》，做好主动公开和依申请公开工作。\n推进政府信息管理和平台建设。",
            "proactive": "主动公开情况见下表。",
            "requests": "依申请公开情况见下表。",
            "appeals": "本年度发生行政复议、行政诉讼案件1件。",
            "problems": "存在的主要问题是队伍不稳定。",
            "other": "本年度未收取信息处理费。",
        },
        "proactive": {},
        "requests": requests_table(edition or "2021"),
        "appeals": {
            "review": {
                "upheld": None,
                "corrected": None,
                "other": None,
                "pending": None,
                "total": None,
            },
            "suit_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
            "suit_after_review": {
                "upheld": 0,
                "corrected": 0,
                "other": 0,
                "pending": 0,
                "total": 0,
            },
        },
        "checks": [],
        "parse": {"version": "test", "warnings": []},
    }


YIMEI = {"province": "黑龙江省", "city": "伊春市", "county": "伊美区", "township": None}
HAIDIAN = {"province": "北京市", "city": "北京市", "county": "海淀区", "township": None}


def make_records() -> list[dict[str, Any]]:
    """Four hand-made records: two editions of one agency, another agency, a hostile one."""
    r2021 = base_record("yimei-qu-renmin-zhengfu/2021", "伊美区人民政府", 2021, "2021", YIMEI)
    r2021["proactive"] = {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_docs": {"issued": 3, "repealed": 1, "in_force": 12},
        "licensing": {"decisions": 1520},
        "penalty": {"decisions": 37},
        "coercion": {"decisions": 0},
        "fees": {"amount": 1.5},
    }
    r2021["requests"]["granted"][1] = None  # blank in the report: must show "—", never 0
    r2021["parse"]["warnings"] = [
        {
            "code": "blank-cell",
            "message": "单元格为空",
            "line": 42,
            "where": "requests.granted.commercial",
            "text": "",
        }
    ]

    r2020 = base_record("yimei-qu-renmin-zhengfu/2020", "伊美区人民政府", 2020, "2019", YIMEI)
    r2020["proactive"] = {
        "rules": {"made": 0, "published": 0, "total_published": 0},
        "normative_docs": {"made": 2, "published": 2, "total_published": 9},
        "licensing": {"previous": 120, "change": -8, "decisions": 1400},
        "other_services": {"previous": 30, "change": 2, "decisions": 77},
        "penalty": {"previous": 10, "change": 0, "decisions": 20},
        "coercion": {"previous": 1, "change": 0, "decisions": 0},
        "fees": {"previous": 0, "change": 0},
        "procurement": {"projects": 4, "amount": 251000},
    }

    r_haidian = base_record(
        "haidian-qu-renmin-zhengfu/2021", "海淀区人民政府", 2021, "2021", HAIDIAN
    )
    r_haidian["requests"] = requests_table("2021", granted_total=1)

    hostile = base_record("eyi-ju/2022", "恶意局" + HOSTILE, 2022, "2021", None)
    hostile["title"] = "# " + HOSTILE
    hostile["published"] = "<b>2023</b>"
    hostile["contact"]["website"] = "javascript:alert(1)"
    hostile["contact"]["address"] = HOSTILE_LINES
    hostile["sections"] = dict.fromkeys(spec.SECTION_KEYS, HOSTILE_LINES + "\n" + HOSTILE)
    hostile["parse"]["warnings"] = [
        {
            "code": "extra-row",
            "message": HOSTILE,
            "line": 7,
            "where": "requests",
            "text": HOSTILE_LINES,
        }
    ]
    return [r2021, r2020, r_haidian, hostile]


def make_findings() -> dict[str, list[dict[str, Any]]]:
    return {
        "yimei-qu-renmin-zhengfu/2021": [
            {
                "rule": "T3-05",
                "level": "warning",
                "message": "第三部分有 1 个空格",
                "where": "requests.granted.commercial",
                "line": 42,
                "status": "fail",
            },
            {
                "rule": "T3-01",
                "level": "info",
                "message": "商业企业列无法核对：（一）予以公开为空",
                "where": "requests",
                "line": None,
                "status": "not-assessable",
            },
        ],
        "eyi-ju/2022": [
            {
                "rule": "T3-01",
                "level": "error",
                "message": HOSTILE,
                "where": "requests.received.natural_person",
                "line": 3,
                "status": "fail",
            },
            {
                "rule": "ZZ-99",
                "level": "warning",
                "message": "未知规则的发现",
                "where": None,
                "line": None,
                "status": "fail",
            },
        ],
    }


def with_checks(
    records: list[dict[str, Any]], findings: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Copies of the records with their findings as `checks`."""
    out = copy.deepcopy(records)
    for r in out:
        r["checks"] = findings.get(r["id"], [])
    return out


def make_corpus(
    tmp: Path,
    records: list[dict[str, Any]],
    findings: dict[str, list[dict[str, Any]]] | None = None,
    failures: Sequence[Failure] = (),
    sources: bool = True,
) -> Corpus:
    """A corpus of hand-made records (in their published form, with `findings` as their
    `checks`), read through the model's boundary as the pipeline's are; with a source file
    for each record unless `sources` is False."""
    records = with_checks(records, findings) if findings is not None else records
    return Corpus(
        records=tuple(Record.from_dict(r) for r in records),
        failures=tuple(failures),
        sources=make_sources(tmp, records) if sources else {},
    )


def render_content(
    tmp: Path,
    records: list[dict[str, Any]],
    findings: dict[str, list[dict[str, Any]]],
    failures: Sequence[Failure],
    content: Path | None = None,
) -> Path:
    """Render records (with their findings as `checks`) into tmp/content, as a build does,
    with the real rule catalogue."""
    content = content or tmp / "content"
    render_site(make_corpus(tmp, records, findings, failures), RULES, content)
    return content


def make_sources(tmp: Path, records: list[dict[str, Any]]) -> dict[str, Path]:
    """A small source file per record under tmp/src (its copy is published with the page)."""
    sources = {}
    for r in records:
        path = tmp / "src" / (str(r["id"]).replace("/", "_").replace(".", "_") + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{r['title']}\n原文\n", "utf-8")
        sources[r["id"]] = path
    return sources


FAILURES = [Failure("reports/broken<script>.doc", "doc", "旧版 .doc 文件需要 LibreOffice 才能读取")]


# ---- words a reader must never see, and a git repository for history tests ---------------------

ENGLISH_VOCABULARY = (
    "blank-cell",
    "missing-section",
    "read as null",
    "not found",
    "section ",
    "requests.",
    "proactive.",
    "sections.",
    "appeals.",
    "format-and-rules",
)
"""Words of the generator's own vocabulary that must never reach a reader (issue 14)."""


def git(repo: Path, *args: str, when: str | None = None) -> str:
    """git in repo with a fixed identity and no user configuration; when = author and
    committer date. Returns stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "维护者",
        "GIT_AUTHOR_EMAIL": "maintainer@example.org",
        "GIT_COMMITTER_NAME": "维护者",
        "GIT_COMMITTER_EMAIL": "maintainer@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit_all(repo: Path, message: str, when: str) -> str:
    """Commit everything in repo at the date when; returns the commit."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


def page_text(path: Path) -> str:
    """A generated Markdown page as one text, with its HTML fragments (content/.fragments,
    generator/render/output.py) put back where the page has their placeholders."""
    for parent in path.parents:
        if (parent / MANIFEST).is_file():
            return _read_page(parent, path.relative_to(parent).as_posix())
    return path.read_text("utf-8")


_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(
    r"<t[hd](?: style=\"text-align: right;\"| align=\"right\")?>(.*?)</t[hd]>", re.DOTALL
)
_ITEM = re.compile(r"<li>(?:\n<p>)?(.*?)(?:</p>\n)?</li>", re.DOTALL)


def html_rows(text: str) -> list[list[str]]:
    """The rows of the plain HTML tables of a page (its fragments put back), each the inner
    HTML of its cells (as Python-Markdown makes a Markdown table: `<th>`/`<td>`, maybe right-
    aligned; cells with other attributes, as the report tables', are not matched)."""
    return [_CELL.findall(row) for row in _ROW.findall(text)]


def has_row(text: str, *cells: str) -> bool:
    """Whether a table row of the page starts with these cells (inner HTML)."""
    return any(row[: len(cells)] == list(cells) for row in html_rows(text))


def html_items(text: str) -> list[str]:
    """The inner HTML of the page's flat `<li>` items (a loose item's `<p>` left out)."""
    return _ITEM.findall(text)


def site_project(tmp: Path) -> Path:
    """A copy of the committed site configuration (tmp/project) with content freshly rendered
    from the hand-made records."""
    from generator.site import copy_site_config

    project = copy_site_config(ROOT, tmp / "project")
    corpus = make_corpus(tmp, make_records(), make_findings(), FAILURES)
    render_site(corpus, RULES, project / "content")
    return project
