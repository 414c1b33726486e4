"""One bad input costs one report, never the site (issue 12).

Every case here failed before the fix: a report without a year stopped the build; two reports
that do not name their agency, in two provinces, were merged; `check --fail-on error` let
unreadable inputs through; a dotfile was skipped in silence; one typo in a sidecar took the
report off the site. Plus fault injection (parse, check and render raising for one report) and
a kill test (SIGTERM during MkDocs).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPORTS, copy_samples, make_project

import generator.parse
from generator.cli import main
from generator.model import Failure
from generator.pipeline import Settings, build_site, check_corpus_records, load_corpus

ROOT = Path(__file__).resolve().parent.parent
WEIDONG = REPORTS / "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"
YIJIA = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"

NAMELESS = (
    WEIDONG.read_text("utf-8")
    .replace("# 卫东区政府办2021年政府信息公开工作年度报告", "# 2021年政府信息公开工作年度报告")
    .replace("区政府办公室", "本机关")
)
"""A real report that never names its agency: not in the title, the text, or a 落款."""

YEARLESS = "说明\n\n本文件夹存放各机关的政府信息公开工作年度报告，请勿删除。\n"
DOTFILE = "..%2F..%2Fescape.txt"


def _add_trouble(reports: Path) -> None:
    """The issue's cases, added to a copy of the samples."""
    (reports / "说明.txt").write_text(YEARLESS, "utf-8")
    for province in ("河南省", "河北省"):
        (reports / province / "新华区").mkdir(parents=True)
        (reports / province / "新华区" / "2021年报.txt").write_text(NAMELESS, "utf-8")
    (reports / DOTFILE).write_text(NAMELESS, "utf-8")
    (reports / "空白.pdf").write_bytes(b"")
    (reports / "某局-2021年报.wps").write_bytes(b"\xd0\xcf\x11\xe0 WPS")
    (reports / (YIJIA + ".corrections.yml")).write_text(
        "- {path: requests.granted.total, value: 2, reason: 总计印错, by: 张三, date: 2022年3月1日}\n"
        "- {path: requests.granted.totl, value: 3, reason: 拼错的列, by: 张三, date: 2022-03-01}\n",
        "utf-8",
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    copy_samples(folder)
    _add_trouble(folder)
    return folder


def _listed(corpus) -> dict[str, Failure]:
    return {f.file: f for f in corpus.failures}


# ---- identity and accounting -----------------------------------------------------------------


def test_every_case_is_published_or_listed_by_name_with_its_reason(reports):
    corpus = load_corpus(reports)
    listed = _listed(corpus)
    assert listed["说明.txt"].reason.startswith("未能识别报告年度")
    assert "path: year" in listed["说明.txt"].reason and "文件名" in listed["说明.txt"].reason
    assert listed["说明.txt"].kind == "unreadable"
    assert listed[DOTFILE].kind == "ignored" and listed[DOTFILE].reason.startswith("隐藏文件")
    assert listed["空白.pdf"].reason.startswith("空文件")
    assert listed["某局-2021年报.wps"].reason.startswith("暂不能读取 .wps 格式的文件")
    # the five samples and both nameless reports are published
    files = sorted(r.source.file for r in corpus.records)
    assert len(files) == 7
    assert {"河南省/新华区/2021年报.txt", "河北省/新华区/2021年报.txt"} <= set(files)
    assert corpus.inputs == len(corpus.records) + len(corpus.failures) + len(corpus.superseded)
    assert corpus.inputs == sum(1 for p in reports.rglob("*") if p.is_file()) - 1  # the sidecar


def test_two_nameless_reports_in_two_provinces_are_two_agencies(reports):
    corpus = load_corpus(reports)
    nameless = [r for r in corpus.records if r.source.file.endswith("新华区/2021年报.txt")]
    assert len(nameless) == 2 and corpus.superseded == ()
    ids = sorted(r.key for r in nameless)
    assert ids == ["xinhuaqu-hebeisheng-xinhuaqu/2021", "xinhuaqu-henansheng-xinhuaqu/2021"]
    for record in nameless:
        assert record.agency.name == "新华区"
        assert record.agency.name_source == "folder"
        assert "previous_versions" not in record.to_dict()


def test_namesakes_in_two_places_are_checked_as_two_agencies(reports):
    corpus = load_corpus(reports)
    checked = check_corpus_records(corpus, None)
    from generator.check import group_by_agency

    groups = group_by_agency(
        [r for r in corpus.records if r.source.file.endswith("新华区/2021年报.txt")]
    )
    assert len(groups) == 2  # no cross-year rule ever compares the two
    assert [r.key for r in checked.records] == [r.key for r in corpus.records]


def test_same_place_same_agency_same_year_is_still_one_report_with_a_previous_version(reports):
    shutil.copy(reports / YIJIA, (reports / YIJIA).with_name("伊家乡人民政府-2020年报（重发）.txt"))
    corpus = load_corpus(reports)
    assert [s.file for s in corpus.superseded] == [YIJIA]
    kept = next(r for r in corpus.records if r.id == corpus.superseded[0].id)
    assert kept.source.file.endswith("（重发）.txt")


def test_year_from_the_file_name_when_the_text_has_none(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    text = NAMELESS.replace("# 2021年政府信息公开工作年度报告", "# 政府信息公开工作年度报告")
    text = text.replace("2021年", "本年")
    (reports / "卫东区政府办-2021年报.txt").write_text(text, "utf-8")
    corpus = load_corpus(reports)
    [record] = corpus.records
    assert record.year == 2021 and record.agency.name == "卫东区政府办"
    codes = [w.code for w in record.parse.warnings]
    assert "year-source" in codes and "agency-name-source" in codes


def test_a_year_correction_publishes_a_yearless_report(reports):
    (reports / "说明.txt.corrections.yml").write_text(
        "- {path: year, value: 2021, reason: 文件名未写年度, by: 张三, date: 2022-03-01}\n", "utf-8"
    )
    corpus = load_corpus(reports)
    assert "说明.txt" not in _listed(corpus)
    assert any(r.source.file == "说明.txt" and r.year == 2021 for r in corpus.records)


def test_nianbaoignore_excludes_deliberately_and_lists_it(reports):
    (reports / ".nianbaoignore").write_text("说明.txt\n草稿/\n", "utf-8")
    (reports / "草稿").mkdir()
    (reports / "草稿" / "某局-2021年报.txt").write_text(NAMELESS, "utf-8")
    corpus = load_corpus(reports)
    listed = _listed(corpus)
    assert listed["说明.txt"].kind == "ignored" and ".nianbaoignore" in listed["说明.txt"].reason
    assert listed["草稿/"].kind == "ignored" and listed["草稿/"].format == "folder"
    assert ".nianbaoignore" not in listed  # the rules file itself is configuration


def test_editor_backups_lock_files_and_other_types_are_ignored_with_a_reason(tmp_path):
    reports = tmp_path / "reports"
    (reports / ".git").mkdir(parents=True)
    (reports / ".git" / "HEAD").write_text("ref", "utf-8")
    for name in (
        "报告.txt~",
        "~$报告.docx",
        "#报告.txt#",
        "报告.txt.swp",
        "数据.xlsx.bak",
        "图表.svg",
    ):
        (reports / name).write_bytes(b"x")
    corpus = load_corpus(reports)
    ignored = {f.file: f.reason for f in corpus.ignored}
    assert set(ignored) == {
        ".git/",
        "报告.txt~",
        "~$报告.docx",
        "#报告.txt#",
        "报告.txt.swp",
        "数据.xlsx.bak",
        "图表.svg",
    }
    assert ignored["~$报告.docx"].startswith("Office 临时锁文件")
    assert ignored["报告.txt~"].startswith("编辑器备份文件")
    assert "不是年度报告的文件格式（.svg）" in ignored["图表.svg"]
    assert corpus.unreadable == [] and corpus.records == ()


# ---- the gate ------------------------------------------------------------------------------


def test_check_fail_on_error_counts_unreadable_inputs(reports, capsys):
    assert main(["check", "--reports", str(reports), "--fail-on", "error", "--no-cache"]) == 1
    out = capsys.readouterr().out
    for name in ("说明.txt", "空白.pdf", "某局-2021年报.wps"):
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert "IN-01" in line and "错误" in line
    sidecar = next(line for line in out.splitlines() if ".corrections.yml" in line)
    assert "IN-02" in sidecar and "第 2 条未应用" in sidecar and "totl" in sidecar
    dotfile = next(line for line in out.splitlines() if line.startswith(DOTFILE))
    assert "IN-03" in dotfile and "提示" in dotfile
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("检查了 7 份报告：")
    assert "3 个输入文件无法读取，1 条更正未应用，1 个文件已忽略" in summary


def test_check_fail_on_error_passes_when_only_ignored_files(tmp_path, capsys):
    reports = tmp_path / "reports"
    copy_samples(reports, [YIJIA])
    (reports / ".DS_Store").write_bytes(b"x")
    assert main(["check", "--reports", str(reports), "--fail-on", "error", "--no-cache"]) == 0
    assert main(["check", "--reports", str(reports), "--fail-on", "info", "--no-cache"]) == 1
    capsys.readouterr()


# ---- fault isolation -------------------------------------------------------------------------


def test_a_parser_crash_costs_one_report(reports, monkeypatch):
    real = generator.parse.parse_document

    def crashing(doc):
        if "卫东区" in doc.path:
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(generator.parse, "parse_document", crashing)
    corpus = load_corpus(reports)
    listed = _listed(corpus)
    failure = listed["河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt"]
    assert failure.stage == "parse" and "程序出错（RuntimeError: boom）" in failure.reason
    assert "不是报告的问题" in failure.reason
    assert len(corpus.records) == 6


def test_a_rule_crash_costs_only_the_reports_it_was_checking(reports, monkeypatch):
    import generator.check.catalogue as catalogue
    from generator.check import RULES

    corpus = load_corpus(reports)
    rule = next(r for r in RULES if r.id == "T3-01")
    real = rule.check

    def crashing(record):
        if record.source.file == YIJIA:
            raise KeyError("unexpected")
        return real(record)

    patched = tuple(dataclasses.replace(r, check=crashing) if r is rule else r for r in RULES)
    monkeypatch.setattr(catalogue, "RULES", patched)
    monkeypatch.setattr("generator.check.RULES", patched)
    corpus = check_corpus_records(corpus, None)
    failure = _listed(corpus)[YIJIA]
    assert failure.stage == "check" and "规则 T3-01" in failure.reason
    assert YIJIA not in [r.source.file for r in corpus.records]
    assert len(corpus.records) == 6


@pytest.mark.slow
@pytest.mark.parametrize("target", ["report_page_text", "agency_page_text"])
def test_a_render_crash_costs_one_report_and_the_site_is_built(tmp_path, monkeypatch, target):
    from generator.render import reports as render_reports

    project = make_project(tmp_path)
    real = getattr(render_reports, target)

    def crashing(env, catalog, item, *args):
        records = item.records if target == "agency_page_text" else [item]
        if any(r.source.file == YIJIA for r in records):
            raise TypeError("odd data")
        return real(env, catalog, item, *args)

    monkeypatch.setattr(render_reports, target, crashing)
    summary = build_site(
        Settings(project_dir=project, reports_dir=project / "reports", site_dir=project / "site")
    )
    assert (summary.inputs, summary.records, summary.unreadable) == (5, 4, 1)
    site = project / "site"
    unreadable = (site / "unreadable" / "index.html").read_text("utf-8")
    assert "伊家乡人民政府-2020年报.txt" in unreadable and "TypeError: odd data" in unreadable
    assert not list((site / "reports").glob("yi-jiaxiang*"))
    assert "伊家乡" not in (project / "content" / "data" / "records.json").read_text("utf-8")
    assert "伊家乡" not in (site / "agencies" / "index.html").read_text("utf-8")
    assert len(list((site / "reports").glob("*/20*/index.html"))) == 4


# ---- a whole build with every case ---------------------------------------------------------


@pytest.mark.slow
def test_build_with_every_case_publishes_the_rest_and_lists_each(tmp_path, capsys):
    project = make_project(tmp_path)
    _add_trouble(project / "reports")
    os.chdir(project)  # the CLI works in the project folder, as `make site` does
    try:
        assert main(["build", "--reports", "reports", "--out", "site", "--no-cache"]) == 0
    finally:
        os.chdir(ROOT)
    err = capsys.readouterr().err
    assert "发布 7 份报告，0 份被新版本取代，3 个无法读取，1 个已忽略" in err
    unreadable = (project / "site" / "unreadable" / "index.html").read_text("utf-8")
    for name in ("说明.txt", "空白.pdf", "某局-2021年报.wps", DOTFILE):
        assert name in unreadable, name
    assert "未能识别报告年度" in unreadable and "隐藏文件" in unreadable
    yijia = next((project / "site" / "reports").glob("yi-jiaxiang*/2020/index.html"))
    page = yijia.read_text("utf-8")
    assert "未应用的更正" in page and "第 2 条" in page and "totl" in page
    for slug in ("xinhuaqu-henansheng-xinhuaqu", "xinhuaqu-hebeisheng-xinhuaqu"):
        assert (project / "site" / "reports" / slug / "2021" / "index.html").is_file()


# ---- interrupted builds ------------------------------------------------------------------------


@pytest.mark.slow
def test_sigterm_during_mkdocs_keeps_the_previous_site_and_the_next_build_works(tmp_path):
    project = make_project(tmp_path)
    command = [sys.executable, "-m", "generator", "build", "--reports", "reports", "--out", "site"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True, timeout=300)
    before = {
        p.relative_to(project / "site"): p.read_bytes()
        for p in (project / "site").rglob("*")
        if p.is_file()
    }
    shutil.copy(
        project / "reports" / YIJIA, (project / "reports" / YIJIA).with_name("新增-2020年报.txt")
    )
    child = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(project.glob(".site-build-*/*")):  # MkDocs is writing into the staging folder
        assert child.poll() is None and time.monotonic() < deadline, "build ended before MkDocs"
        time.sleep(0.02)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143, err
    assert "构建被中止" in err
    after = {
        p.relative_to(project / "site"): p.read_bytes()
        for p in (project / "site").rglob("*")
        if p.is_file()
    }
    assert after == before  # the previous site, byte for byte
    assert not list(project.glob(".site-build-*"))
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True, timeout=300)
    assert (project / "site" / "index.html").is_file()


def test_a_site_moved_aside_by_a_kill_mid_swap_is_put_back(tmp_path):
    from generator.staging import recover_site

    site = tmp_path / "site"
    (tmp_path / "site.old").mkdir()
    (tmp_path / "site.old" / "index.html").write_text("previous", "utf-8")
    (tmp_path / ".site-build-abc").mkdir()
    recover_site(site)
    assert (site / "index.html").read_text("utf-8") == "previous"
    assert not (tmp_path / ".site-build-abc").exists()
