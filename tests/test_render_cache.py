"""Render cache (generator/render/memo.py): a warm cache gives the bytes of a clean render, and
exactly the pages whose inputs changed are made again (a new report, a cross-year finding, a
finding, a rule title, a template); damaged entries are never trusted; cache_dir=None works."""

from __future__ import annotations

import ast
import dataclasses
import json
import posixpath
import shutil
from pathlib import Path

import jinja2
import pytest
from conftest import (
    FAILURES,
    HOSTILE_LINES,
    RULES,
    copy_samples,
    make_corpus,
    make_findings,
    make_records,
    with_checks,
)

import generator.render
from generator.pipeline import check_corpus_records, load_corpus
from generator.record import record_to_json, record_to_yaml
from generator.render import downloads, memo, reports
from generator.render.output import fragment_path
from generator.render.pages import relative_path

ROOT = Path(__file__).resolve().parent.parent
YIMEI = "黑龙江省/伊春市/伊美区"
CARRIED_FORWARD = "四、结转下年度继续办理\t\t\t{0}\t0\t0\t0\t0\t0\t{0}"


@pytest.fixture
def made(monkeypatch) -> dict[str, list[str]]:
    """The report and agency pages actually rendered (not taken from the cache), by id."""
    calls: dict[str, list[str]] = {"report": [], "agency": []}
    real_report, real_agency = reports.report_page_text, reports.agency_page_text

    def report_page_text(env, catalog, record, *args):
        calls["report"].append(record.key)
        return real_report(env, catalog, record, *args)

    def agency_page_text(env, catalog, agency, *args):
        calls["agency"].append(agency.slug)
        return real_agency(env, catalog, agency, *args)

    monkeypatch.setattr(reports, "report_page_text", report_page_text)
    monkeypatch.setattr(reports, "agency_page_text", agency_page_text)
    return calls


def _reset(calls: dict[str, list[str]]) -> None:
    for items in calls.values():
        items.clear()


def _snapshot(content: Path) -> dict[str, bytes]:
    return {
        p.relative_to(content).as_posix(): p.read_bytes()
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }


def _page(snapshot: dict[str, bytes], rel: str) -> str:
    """A page's text and its HTML fragments' sidecar (generator/render/output.py)."""
    return (snapshot[rel] + snapshot.get(fragment_path(rel), b"")).decode("utf-8")


def _build(reports_dir: Path, content: Path, cache: Path | None) -> dict[str, bytes]:
    """load + check + render, as `nianbao build` does before MkDocs."""
    corpus = check_corpus_records(load_corpus(reports_dir), None)
    generator.render.render_site(corpus, RULES, content, cache_dir=cache)
    return _snapshot(content)


@pytest.fixture
def samples(tmp_path) -> Path:
    folder = tmp_path / "reports"
    copy_samples(folder)
    return folder


def _add_next_year(reports_dir: Path) -> None:
    """伊美区 2022: the 2021 report one year on (so TX-07 near-copy and T3-07 apply to it)."""
    text = (reports_dir / YIMEI / "伊美区人民政府-2021年报.txt").read_text("utf-8")
    later = text.replace("2022", "\0").replace("2021", "2022").replace("\0", "2023")
    (reports_dir / YIMEI / "伊美区人民政府-2022年报.txt").write_text(later, "utf-8")


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "render").glob(f"*{memo.ENTRY_SUFFIX}"))


def test_warm_cache_renders_nothing_and_gives_the_clean_bytes(samples, tmp_path, made):
    cache = tmp_path / "cache"
    cold = _build(samples, tmp_path / "cold", cache)
    assert len(made["report"]) == 5 and len(made["agency"]) == 5
    assert len(_entries(cache)) == 10  # 5 records + 5 agency pages
    _reset(made)
    warm = _build(samples, tmp_path / "warm", cache)
    again = _build(samples, tmp_path / "cold", cache)  # over the previous output
    assert made == {"report": [], "agency": []}
    clean = _build(samples, tmp_path / "clean", None)
    assert warm == cold == again == clean


def test_new_report_renders_only_its_page_and_its_agency(samples, tmp_path, made):
    cache = tmp_path / "cache"
    _build(samples, tmp_path / "content", cache)
    _add_next_year(samples)
    _reset(made)
    warm = _build(samples, tmp_path / "content", cache)
    assert made == {"report": ["yimeiqu-renminzhengfu/2022"], "agency": ["yimeiqu-renminzhengfu"]}
    assert warm == _build(samples, tmp_path / "clean", None)
    assert len(_entries(cache)) == 11  # 6 records + 5 agency pages: the old one is pruned


def test_cross_year_finding_renders_the_unchanged_later_report_again(samples, tmp_path, made):
    """Editing 2021 changes 2022's T3-07 finding: 2022's page is made again, its record is not
    changed, and the result is what a clean render gives."""
    cache = tmp_path / "cache"
    _add_next_year(samples)
    _build(samples, tmp_path / "content", cache)
    before = {r.key: r for r in load_corpus(samples).records}
    path = samples / YIMEI / "伊美区人民政府-2021年报.txt"
    text = path.read_text("utf-8")
    assert CARRIED_FORWARD.format(0) in text
    path.write_text(text.replace(CARRIED_FORWARD.format(0), CARRIED_FORWARD.format(1)), "utf-8")
    assert load_corpus(samples).records[-2] == before["yimeiqu-renminzhengfu/2022"]  # premise
    _reset(made)
    warm = _build(samples, tmp_path / "content", cache)
    assert sorted(made["report"]) == ["yimeiqu-renminzhengfu/2021", "yimeiqu-renminzhengfu/2022"]
    assert made["agency"] == ["yimeiqu-renminzhengfu"]
    assert "T3-07" in _page(warm, "reports/yimeiqu-renminzhengfu/2022.md")
    assert warm == _build(samples, tmp_path / "clean", None)


def _render(
    content: Path,
    records: list[dict],
    findings: dict[str, list[dict]],
    cache: Path | None,
    rules=RULES,
) -> dict[str, bytes]:
    corpus = make_corpus(content.parent, records, findings, FAILURES, sources=False)
    generator.render.render_site(corpus, rules, content, cache_dir=cache)
    return _snapshot(content)


def test_a_changed_finding_or_rule_title_renders_what_shows_it(tmp_path, made):
    findings = make_findings()
    records = make_records()
    cache = tmp_path / "cache"
    _render(tmp_path / "content", records, findings, cache)
    # The findings of one report change (as after a rule change: the record is the same).
    changed = {
        **findings,
        "haidian-qu-renmin-zhengfu/2021": [
            {
                "rule": "T3-01",
                "level": "error",
                "message": "新的发现",
                "where": None,
                "line": None,
                "status": "fail",
            }
        ],
    }
    _reset(made)
    warm = _render(tmp_path / "content", records, changed, cache)
    assert made == {
        "report": ["haidian-qu-renmin-zhengfu/2021"],
        "agency": ["haidian-qu-renmin-zhengfu"],
    }
    assert "新的发现" in _page(warm, "reports/haidian-qu-renmin-zhengfu/2021.md")
    assert warm == _render(tmp_path / "clean", records, changed, None)
    # Report pages link rule titles: a renamed rule makes every report page again.
    renamed = (dataclasses.replace(RULES[0], title="改名的规则"), *RULES[1:])
    _reset(made)
    warm = _render(tmp_path / "content", records, changed, cache, renamed)
    assert sorted(made["report"]) == sorted(r["id"] for r in records)
    assert warm == _render(tmp_path / "clean2", records, changed, None, renamed)


@pytest.fixture
def templates(tmp_path, monkeypatch) -> Path:
    """A copy of the templates that render_site reads and code_fingerprint hashes."""
    folder = tmp_path / "templates"
    shutil.copytree(Path(generator.render.__file__).parent / "templates", folder)
    real = generator.render.make_environment

    def make_environment(**globals_):
        env = real(**globals_)
        env.loader = jinja2.FileSystemLoader(folder)
        return env

    monkeypatch.setattr(generator.render, "make_environment", make_environment)
    monkeypatch.setattr(memo, "code_files", lambda: {p.name: p for p in folder.iterdir()})
    memo.code_fingerprint.cache_clear()
    yield folder
    memo.code_fingerprint.cache_clear()


def test_template_change_renders_every_page_again(templates, tmp_path, made):
    findings = make_findings()
    records = with_checks(make_records(), findings)
    cache = tmp_path / "cache"
    _render(tmp_path / "content", records, findings, cache)
    page = templates / "report.md.j2"
    page.write_text(page.read_text("utf-8") + "\n模板已修改\n", "utf-8")
    memo.code_fingerprint.cache_clear()  # a new process would see the new file
    _reset(made)
    warm = _render(tmp_path / "content", records, findings, cache)
    assert len(made["report"]) == len(records) and made["agency"]
    assert all("模板已修改" in warm[f"reports/{r['id']}.md"].decode() for r in records)
    assert warm == _render(tmp_path / "clean", records, findings, None)


def test_templates_and_imported_modules_are_in_the_fingerprint():
    """code_fingerprint covers the templates and every generator module render/ imports."""
    files = set(memo.code_files().values())
    package = Path(generator.__file__).resolve().parent
    render = package / "render"
    assert set((render / "templates").iterdir()) <= files
    for source in render.glob("*.py"):
        assert source in files
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if not name.startswith("generator.") or name.startswith("generator.render"):
                    continue
                stem = package.joinpath(*name.split(".")[1:])
                module = (
                    stem.with_suffix(".py")
                    if stem.with_suffix(".py").exists()
                    else stem / "__init__.py"
                )
                assert module in files, (
                    f"{source.name} imports {name}: add it to CODE_OUTSIDE_RENDER"
                )
            if isinstance(node, ast.ImportFrom) and node.module == "generator":
                for alias in node.names:
                    assert package / f"{alias.name}.py" in files, (
                        f"{source.name}: generator.{alias.name}"
                    )


def _entry(key: str, payload: dict) -> bytes:
    data = json.dumps(payload, ensure_ascii=False).encode()
    return memo.hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    digest, _, payload = data.partition(b"\n")
    entry = json.loads(payload)
    if how == "garbage":
        path.write_bytes(b"\x00\xff not an entry")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "edited":  # text changed, checksum not: must not be served
        path.write_bytes(digest + b"\n" + payload.replace(b'"page": "', b'"page": "edited'))
    elif how == "other-key":  # a well-formed entry stored under another name
        path.write_bytes(_entry(entry["key"], {**entry, "key": "0" * 64}))
    elif how == "missing-text":
        path.write_bytes(_entry(entry["key"], {"key": entry["key"]}))
    elif how == "not-text":
        path.write_bytes(
            _entry(entry["key"], {k: (3 if k != "key" else v) for k, v in entry.items()})
        )
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["garbage", "truncated", "edited", "other-key", "missing-text", "not-text"]
)
def test_damaged_entries_are_made_again_not_trusted(tmp_path, made, how):
    findings = make_findings()
    records = with_checks(make_records(), findings)
    cache = tmp_path / "cache"
    _render(tmp_path / "content", records, findings, cache)
    for path in _entries(cache):
        _damage(path, how)
    _reset(made)
    warm = _render(tmp_path / "content", records, findings, cache)
    assert sorted(made["report"]) == sorted(r["id"] for r in records)
    assert warm == _render(tmp_path / "clean", records, findings, None)
    _reset(made)  # and the damaged entries were replaced by good ones
    assert _render(tmp_path / "content", records, findings, cache) == warm
    assert made == {"report": [], "agency": []}


def test_no_cache_dir_renders_everything_and_writes_no_cache(tmp_path, made):
    findings = make_findings()
    records = with_checks(make_records(), findings)
    first = _render(tmp_path / "content", records, findings, None)
    second = _render(tmp_path / "content", records, findings, None)
    assert first == second
    assert len(made["report"]) == 2 * len(records)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_prune_keeps_this_builds_entries_only(tmp_path):
    findings = make_findings()
    records = with_checks(make_records(), findings)
    cache = tmp_path / "cache"
    _render(tmp_path / "content", records, findings, cache)
    folder = cache / "render"
    (folder / "notes.txt").write_text("not ours", "utf-8")
    (folder / f"{memo.TEMP_PREFIX}left{memo.ENTRY_SUFFIX}").write_bytes(b"interrupted")
    _render(tmp_path / "content", records[1:], findings, cache)
    agencies = {r["id"].split("/")[0] for r in records[1:]}
    assert len(_entries(cache)) == len(records[1:]) + len(agencies)
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(memo.ENTRY_SUFFIX)) == [
        "notes.txt"
    ]


def test_relative_path_is_posixpath_relpath(tmp_path):
    findings = make_findings()
    content = tmp_path / "content"
    _render(content, with_checks(make_records(), findings), findings, None)
    paths = sorted((content / ".generated").read_text("utf-8").split())
    paths += ["index.md", "regions/a/b/c/index.md", "reports/a/2021.md", "reports/ab/index.md"]
    for to_path in paths:
        for from_page in paths:
            start = posixpath.dirname(from_page)
            assert relative_path(to_path, start) == posixpath.relpath(to_path, start or "."), (
                to_path,
                from_page,
            )
    for odd in ("", ".", "a/./b", "../a", "/abs", "a//b", "a/"):
        for start in ("", "a", "a/b", "..", "/x"):
            try:
                expected = posixpath.relpath(odd, start or ".")
            except ValueError:
                with pytest.raises(ValueError):
                    relative_path(odd, start)
                continue
            assert relative_path(odd, start) == expected


def test_per_record_downloads_join_to_the_whole_files(tmp_path):
    import io

    records = make_records()
    records[0]["sections"]["other"] = HOSTILE_LINES  # newlines inside JSON strings
    typed = make_corpus(tmp_path, records, make_findings(), sources=False).records
    for subset in (typed, typed[:1], ()):
        json_out, yaml_out, cells_out, findings_out = (io.StringIO() for _ in range(4))
        files = downloads.CorpusFiles(json_out, yaml_out, cells_out, findings_out)
        for record in subset:
            files.add(
                downloads.record_json_item(record.to_dict()),
                record_to_yaml(record),
                downloads.record_cells_rows(record),
                downloads.record_findings_rows(record, record.checks),
            )
        files.finish()
        text = json_out.getvalue()
        assert json.loads(text) == json.loads(record_to_json(list(subset)))
        lines = text.splitlines()  # a record a line, not indented
        assert lines == (["[", *lines[1:-1], "]"] if subset else ["[]"])
        for line, record in zip(lines[1:-1], subset, strict=True):
            assert json.loads(line.removesuffix(",")) == record.to_dict()
        assert yaml_out.getvalue() == "".join("---\n" + record_to_yaml(r) for r in subset)
        assert cells_out.getvalue().startswith(downloads.CSV_BOM + "id,agency,year,edition,")
        assert cells_out.getvalue().count("\r\n") == 1 + sum(
            len(downloads.record_cells_rows(r).splitlines()) for r in subset
        )
        assert findings_out.getvalue().startswith(downloads.CSV_BOM + "id,agency,year,rule,level,")
        assert findings_out.getvalue().count("\r\n") == 1 + sum(len(r.checks) for r in subset)


def test_a_cached_agency_page_brings_its_promise_ledger(samples, tmp_path, monkeypatch):
    """The corpus pages need every agency's promise ledger; a warm build takes the cached
    pages' ledgers from the cache instead of comparing every agency's years again, and the
    pages are the bytes a clean render gives."""
    from generator.analysis import promises
    from generator.render import analyses

    _add_next_year(samples)  # 伊美区 2021 against 2022: a compared ledger with evidence
    cache = tmp_path / "cache"
    cold = _build(samples, tmp_path / "cold", cache)
    computed: list[str] = []
    real = analyses.agency_ledgers

    def counting(agency):
        computed.append(agency.slug)
        return real(agency)

    monkeypatch.setattr(analyses, "agency_ledgers", counting)
    warm = _build(samples, tmp_path / "warm", cache)
    assert computed == [] and warm == cold
    ledgers = real(next(a for a in _catalog(samples).agencies if a.slug == "yimeiqu-renminzhengfu"))
    assert any(p.evidence for ledger in ledgers for p in ledger.promises)
    assert promises.ledgers_from_json(promises.ledgers_to_json(ledgers)) == ledgers


def _catalog(reports_dir: Path):
    from generator.render.catalog import build_catalog

    return build_catalog(check_corpus_records(load_corpus(reports_dir), None).records)
