"""PR-01: conversion artefacts and label variants the parser normalised before checking (§8)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.access import Observation, fail, listing, parse_warnings
from generator.check.rule import SPEC, ReportRule
from generator.model import Level, ParseWarning, Record


def _texts(warnings: list[ParseWarning]) -> str:
    return listing(f"“{w.text}”" for w in warnings if w.text) or "（未记录原文）"


def _first_line(warnings: list[ParseWarning]) -> int | None:
    return min((w.line for w in warnings if w.line is not None), default=None)


def artefacts_removed(record: Record) -> Iterator[Observation]:
    """PR-01: one info finding for removed debris, one for non-standard labels read as standard."""
    debris = parse_warnings(record, "debris-removed")
    if debris:
        yield fail(
            f"已清除{len(debris)}处转换残留：{_texts(debris)}；请在原文中删除",
            None,
            line=_first_line(debris),
        )
    variants = parse_warnings(record, "label-variant")
    if variants:
        yield fail(
            f"{len(variants)}个非标准标签已按标准标签读取：{_texts(variants)}；"
            "建议使用统一格式的原文标签",
            None,
            line=_first_line(variants),
        )


RULES = (
    ReportRule(
        id="PR-01",
        title="转换残留已清除",
        level=Level.INFO,
        what="解析时清除的残留（[bookmark: …]、&nbsp;、页码等）和按标准标签读取的非标准标签。",
        basis="样本004 [S]（" + SPEC + " §8）",
        certainty="S",
        check=artefacts_removed,
    ),
)
