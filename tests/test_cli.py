"""The `nianbao` command as a user sees it: exit codes, output shape, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_parse_one_file_prints_one_json_record(capsys):
    assert main(["parse", str(SAMPLES[0])]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["schema"] == "nianbao/record/1"
    assert isinstance(record["checks"], list)


def test_parse_several_files_prints_a_list(capsys):
    assert main(["parse", *map(str, SAMPLES[:2])]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["source"]["file"] for r in records] == [str(p) for p in SAMPLES[:2]]


def test_parse_yaml_format(capsys):
    assert main(["parse", "--format", "yaml", str(SAMPLES[0])]) == 0
    record = yaml.safe_load(capsys.readouterr().out)
    assert record["id"].endswith("/" + str(record["year"]))


def test_parse_missing_file_is_one_line_error(capsys, tmp_path):
    missing = tmp_path / "nope.txt"
    assert main(["parse", str(missing)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"nianbao: 错误：{missing}: 文件不存在"


def test_parse_unreadable_file_names_file_and_reason(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", str(empty)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"nianbao: 错误：{empty}: 空文件（0 字节）：请放入报告的完整文件"]


def test_parse_unknown_suffix(capsys, tmp_path):
    odd = tmp_path / "report.xls"
    odd.write_bytes(b"x")
    assert main(["parse", str(odd)]) == 1
    assert "暂不能读取 .xls 格式的文件" in capsys.readouterr().err


def test_debug_shows_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    from generator.errors import SourceError

    with pytest.raises(SourceError):
        main(["parse", "--debug", str(empty)])


def test_check_fail_on_error_exits_1_on_samples(capsys):
    # Seed 004 fails T3-01 (error level): a maintainer gate must stop.
    assert main(["check", "--reports", str(ROOT / "reports"), "--fail-on", "error"]) == 1
    out = capsys.readouterr().out
    assert "T3-01" in out and "检查了 5 份报告" in out


def test_check_without_fail_on_exits_0(capsys, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLES[0], reports / "a.txt")
    assert main(["check", "--reports", str(reports)]) == 0


def test_check_clean_report_passes_gate(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    seed_002 = next(p for p in SAMPLES if "宜阳县" in p.name)
    shutil.copy(seed_002, reports / "a.txt")  # seed 002 has no error-level finding
    assert main(["check", "--reports", str(reports), "--fail-on", "error"]) == 0


def test_check_lists_unreadable_inputs(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "garbage.txt").write_bytes(bytes(range(256)) * 20)
    assert main(["check", "--reports", str(reports)]) == 0
    out = capsys.readouterr().out
    assert "garbage.txt" in out and "1 个输入文件无法读取" in out


def test_missing_reports_folder_is_actionable(capsys, tmp_path):
    assert main(["check", "--reports", str(tmp_path / "none")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_every_command_has_help(capsys):
    for command in ("parse", "check", "build", "serve"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "usage: nianbao " + command in capsys.readouterr().out
