"""引用本报告 (generator/analysis/cite.py): the exact GB/T 7714-2015 reference for a sample."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from generator.analysis.cite import CitedReport, cite, reference_title

ROOT = Path(__file__).resolve().parent.parent
FILE = "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt"
SHA256 = "032ef5d6b4b88a86ceb496c2ba72759ceb3cad77a368669ba65a34077dd773fa"


def yijia(published: date | None = date(2021, 1, 8), title: str | None = None) -> CitedReport:
    return CitedReport(
        agency="伊家乡人民政府",
        title="伊家乡 2020 年政府信息公开工作年度报告" if title is None else title,
        year=2020,
        published=published,
        file=FILE,
        sha256=SHA256,
        url="https://nianbao.example.org/yi-jiaxiang-renminzhengfu/2020/",
    )


def test_the_sample_file_is_the_one_cited() -> None:
    assert hashlib.sha256((ROOT / "reports" / FILE).read_bytes()).hexdigest() == SHA256


def test_reference_for_the_yijia_sample() -> None:
    assert cite(yijia(), accessed=date(2026, 12, 1)) == (
        "伊家乡人民政府. 伊家乡2020年政府信息公开工作年度报告[R/OL]. (2021-01-08)[2026-12-01]. "
        "https://nianbao.example.org/yi-jiaxiang-renminzhengfu/2020/. "
        "源文件: 福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt, "
        "SHA-256: 032ef5d6b4b88a86ceb496c2ba72759ceb3cad77a368669ba65a34077dd773fa."
    )


def test_unknown_date_and_missing_title() -> None:
    text = cite(yijia(published=None, title=""), accessed=date(2026, 12, 1))
    assert text.startswith(
        "伊家乡人民政府. 伊家乡人民政府2020年政府信息公开工作年度报告[R/OL]. [2026-12-01]. https://"
    )
    assert reference_title("卫东区政府办", "卫东区政府办2021年政府信息公开工作年度报告", 2021) == (
        "卫东区政府办2021年政府信息公开工作年度报告"
    )
    assert reference_title("x", "尖山区 2021 年政府信息公开\n工作年度报告", 2021) == (
        "尖山区2021年政府信息公开工作年度报告"
    )
