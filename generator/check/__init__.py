"""Check stage: records -> findings. `RULES` (catalogue.py) is the rule catalogue, in catalogue order.

The catalogue is format-and-rules.md §5 (ids are public and stable). Each rule is a pure
function in `generator/check/rules/`: a report rule takes one record, a corpus rule takes the
records of one agency and yields (record, observation). Rules yield Observations; `_finish`
adds the id, the level from levels.yml and the source line and makes the Finding
(`generator.model.Finding`, docs/contract.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.check.access import Observation, line_for
from generator.check.catalogue import RULES, Rule
from generator.errors import ConfigError
from generator.model import Finding, Level, Record
from generator.model.identity import place_key

LEVELS = ("error", "warning", "info", "ignore")
LEVELS_FILE = Path(__file__).with_name("levels.yml")


RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


# ---- levels --------------------------------------------------------------------------------


def load_levels(path: Path | None = None) -> dict[str, str]:
    """Level per rule id: the defaults in RULES, overridden by `path` (default levels.yml)."""
    source = LEVELS_FILE if path is None else Path(path)
    label = source.name if path is None else str(source)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"{label}: levels file not found") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{label}: not valid YAML ({error})") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: expected a mapping of rule id to level ({', '.join(LEVELS)})")
    return resolve_levels(data, label)


def resolve_levels(overrides: dict[str, Any] | None, label: str = "levels") -> dict[str, str]:
    """Defaults overridden by `overrides`; an unknown id or level raises ConfigError naming it."""
    levels = {rule.id: rule.level for rule in RULES}
    for key, value in (overrides or {}).items():
        if key not in RULES_BY_ID:
            raise ConfigError(
                f"{label}: rule '{key}' is not a rule id (known: {', '.join(RULES_BY_ID)})"
            )
        if value not in LEVELS:
            raise ConfigError(
                f"{label}: rule '{key}': level must be one of {', '.join(LEVELS)}, got '{value}'"
            )
        levels[key] = value
    return levels


@cache
def _default_levels() -> tuple[tuple[str, str], ...]:
    return tuple(load_levels(None).items())


def _levels(levels: Mapping[str, str] | None) -> dict[str, str]:
    base = dict(_default_levels())
    if levels:
        resolve_levels(levels)  # raises ConfigError on an unknown id or level
        base.update(levels)
    return base


# ---- running -------------------------------------------------------------------------------


def _finish(rule: Rule, seen: Observation, record: Record, setting: str) -> Finding | None:
    """Observation -> contract finding; None when the rule is set to ignore."""
    if setting == "ignore":
        return None
    if seen.status == "not-assessable":
        level = Level.INFO
    elif seen.level is not None and setting == rule.level:
        level = seen.level  # the rule's documented secondary level, not overridden
    else:
        level = Level(setting)
    line = seen.line if seen.line is not None else line_for(record, seen.where)
    return Finding(rule.id, level, seen.message, seen.where, line, seen.status)


def _sort(findings: Iterable[Finding]) -> list[Finding]:
    unique = {(f.rule, f.where or "", f.message, f.level, f.status): f for f in findings}
    return [unique[key] for key in sorted(unique)]


def check_record(record: Record, levels: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings of every report-scope rule on one record, sorted by (rule, where, message)."""
    settings = _levels(levels)
    findings = []
    for rule in RULES:
        if rule.scope != "report" or settings[rule.id] == "ignore":
            continue
        for partial in rule.check(record):
            finding = _finish(rule, partial, record, settings[rule.id])
            if finding is not None:
                findings.append(finding)
    return _sort(findings)


OnFault = Callable[[Record, str, BaseException], None]
"""Called with (record, rule id, exception) when a rule raises on a record (a rule bug)."""


def _report_findings(
    record: Record, settings: dict[str, str], on_fault: OnFault | None
) -> list[Finding]:
    if on_fault is None:
        return check_record(record, settings)
    findings = []
    for rule in RULES:
        if rule.scope != "report" or settings[rule.id] == "ignore":
            continue
        try:
            partials = list(rule.check(record))
        except Exception as error:
            on_fault(record, rule.id, error)
            continue
        for partial in partials:
            finding = _finish(rule, partial, record, settings[rule.id])
            if finding is not None:
                findings.append(finding)
    return _sort(findings)


def agency_key(record: Record) -> tuple[str, str]:
    """(agency name at its place, id prefix before '/'): records sharing either belong to one
    agency. The place is part of the name key: namesakes in two regions are two agencies."""
    name = record.agency.name or ""
    place = "/".join(place_key(record))
    return (f"{name}@{place}" if name else ""), (record.id or "").split("/")[0]


def group_by_agency(records: Sequence[Record]) -> list[list[Record]]:
    """Records of the same agency (same agency.name, or same id prefix), in input order."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, record in enumerate(records):
        name, prefix = agency_key(record)
        for key in (("name", name), ("id", prefix)):
            if not key[1]:
                continue
            if key in seen:
                parent[root(i)] = root(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[Record]] = {}
    for i, record in enumerate(records):
        groups.setdefault(root(i), []).append(record)
    return list(groups.values())


def check_corpus(
    records: Sequence[Record],
    levels: Mapping[str, str] | None = None,
    *,
    on_fault: OnFault | None = None,
) -> dict[str, list[Finding]]:
    """Record id -> all findings (report rules, then corpus rules per agency), keys sorted.

    With on_fault, a rule that raises is reported through it (for each record it was
    checking) and the other rules and records go on; without, the exception propagates."""
    settings = _levels(levels)
    found: dict[str, list[Finding]] = {}
    for index, record in enumerate(records):
        found.setdefault(_record_id(record, index), []).extend(
            _report_findings(record, settings, on_fault)
        )
    ids = {id(record): _record_id(record, index) for index, record in enumerate(records)}
    for rule in RULES:
        if rule.scope != "corpus" or settings[rule.id] == "ignore":
            continue
        for group in group_by_agency(records):
            try:
                results = list(rule.check(group))
            except Exception as error:
                if on_fault is None:
                    raise
                for record in group:
                    on_fault(record, rule.id, error)
                continue
            for record, partial in results:
                finding = _finish(rule, partial, record, settings[rule.id])
                if finding is not None:
                    found[ids[id(record)]].append(finding)
    return {key: _sort(found[key]) for key in sorted(found)}


def count_levels(findings: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Failed findings per level, of findings in the published form (render still reads
    those; generator.model.count_levels counts typed findings)."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        if finding.get("status", "fail") == "fail" and finding.get("level") in counts:
            counts[finding["level"]] += 1
    return counts


def _record_id(record: Record, index: int) -> str:
    return record.id or f"#{index + 1}"


__all__ = [
    "LEVELS",
    "RULES",
    "RULES_BY_ID",
    "Rule",
    "check_corpus",
    "check_record",
    "count_levels",
    "group_by_agency",
    "load_levels",
]
