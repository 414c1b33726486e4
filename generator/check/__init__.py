"""Check stage: records -> findings. `RULES` (catalogue.py) is the rule catalogue, in catalogue order.

The catalogue is format-and-rules.md §5 (ids are public and stable), then the portal's own
analyses (HI). Each rule is a pure function in `generator/check/rules/`, declared there with
its catalogue entry: a ReportRule takes one record, a CorpusRule the records of one agency, a
RegionRule the records of one region (a province), and the last two yield (record,
observation).
`_finish` adds the rule id, the level (the rule's, unless levels.yml overrides it) and the
source line, and makes the Finding (`generator.model.Finding`, docs/contract.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from generator.check.access import Observation, line_for
from generator.check.catalogue import RULES
from generator.check.memo import (
    ReportFindingsCache,
    findings_from_json,
    findings_json,
    record_digest,
)
from generator.check.rule import CorpusRule, RegionRule, ReportRule, Rule
from generator.errors import ConfigError
from generator.model import Finding, Level, Record
from generator.model.identity import place_key
from generator.pool import made_in_processes

LevelSetting = Literal["error", "warning", "info", "ignore"]
"""A rule's level in a levels file; `ignore` drops its findings."""
SETTINGS: tuple[LevelSetting, ...] = get_args(LevelSetting)
LEVELS_FILE = Path(__file__).with_name("levels.yml")
"""The site's own overrides (none by default); `nianbao check --levels FILE` replaces it."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


# ---- levels --------------------------------------------------------------------------------


def load_levels(path: Path | None = None) -> dict[str, LevelSetting]:
    """Level per rule id: each rule's own, overridden by `path` (default levels.yml)."""
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
        raise ConfigError(
            f"{label}: expected a mapping of rule id to level ({', '.join(SETTINGS)})"
        )
    return resolve_levels(data, label)


def resolve_levels(
    overrides: Mapping[str, Any] | None, label: str = "levels"
) -> dict[str, LevelSetting]:
    """Each rule's level overridden by `overrides`; an unknown id or level raises ConfigError
    naming it."""
    defaults: dict[str, LevelSetting] = {rule.id: rule.level.value for rule in RULES}
    return defaults | _validated(overrides or {}, label)


def _validated(overrides: Mapping[str, Any], label: str) -> dict[str, LevelSetting]:
    valid: dict[str, LevelSetting] = {}
    for key, value in overrides.items():
        if key not in RULES_BY_ID:
            raise ConfigError(
                f"{label}: rule '{key}' is not a rule id (known: {', '.join(RULES_BY_ID)})"
            )
        if value not in SETTINGS:
            raise ConfigError(
                f"{label}: rule '{key}': level must be one of {', '.join(SETTINGS)}, got '{value}'"
            )
        valid[key] = value
    return valid


@cache
def _default_levels() -> tuple[tuple[str, LevelSetting], ...]:
    return tuple(load_levels(None).items())


def _levels(levels: Mapping[str, str] | None) -> dict[str, LevelSetting]:
    """The packaged levels, overridden by `levels` (ConfigError on an unknown id or level)."""
    return dict(_default_levels()) | _validated(levels or {}, "levels")


# ---- running -------------------------------------------------------------------------------


def _finish(rule: Rule, seen: Observation, record: Record, setting: LevelSetting) -> Finding | None:
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


OnFault = Callable[[Record, str, BaseException], None]
"""Called with (record, rule id, exception) when a rule raises on a record (a rule bug)."""


def _report_rules(settings: Mapping[str, LevelSetting]) -> list[ReportRule]:
    return [r for r in RULES if isinstance(r, ReportRule) and settings[r.id] != "ignore"]


def _report_findings(
    record: Record,
    rules: Sequence[ReportRule],
    settings: Mapping[str, LevelSetting],
    on_fault: OnFault | None,
) -> list[Finding]:
    findings = []
    for rule in rules:
        try:
            seen = list(rule.check(record))
        except Exception as error:
            if on_fault is None:
                raise
            on_fault(record, rule.id, error)
            continue
        for observation in seen:
            finding = _finish(rule, observation, record, settings[rule.id])
            if finding is not None:
                findings.append(finding)
    return _sort(findings)


def check_record(record: Record, levels: Mapping[str, str] | None = None) -> list[Finding]:
    """Findings of every report rule on one record, sorted by (rule, where, message)."""
    settings = _levels(levels)
    return _report_findings(record, _report_rules(settings), settings, None)


def agency_key(record: Record) -> tuple[str, str]:
    """(agency name at its place, id prefix before '/'): records sharing either belong to one
    agency. The place is part of the name key: namesakes in two regions are two agencies."""
    name = record.agency.name or ""
    place = "/".join(place_key(record))
    return (f"{name}@{place}" if name else ""), (record.slug if record.id is not None else "")


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


def group_by_region(records: Sequence[Record]) -> list[list[Record]]:
    """Records by province (the first region level), in input order; the records without a
    province together. A region rule sees one group at a time, so a rule that raises costs
    that province's reports, not the portal's."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        region = record.agency.region
        groups.setdefault((region.province if region else None) or "", []).append(record)
    return [groups[key] for key in sorted(groups)]


def check_corpus(
    records: Sequence[Record],
    levels: Mapping[str, str] | None = None,
    *,
    on_fault: OnFault | None = None,
    cache_dir: Path | None = None,
) -> dict[str, list[Finding]]:
    """Record id -> all findings (report rules, then corpus rules per agency, then region
    rules per province), keys sorted.

    With on_fault, a rule that raises is reported through it (for each record it was
    checking) and the other rules and records go on; without, the exception propagates.
    cache_dir: where the report findings of the records are kept between builds
    (generator/check/memo.py); None = none."""
    settings = _levels(levels)
    report_rules = _report_rules(settings)
    memo = ReportFindingsCache(cache_dir, settings) if cache_dir is not None else None
    found: dict[str, list[Finding]] = {}
    ids = {id(record): _record_id(record, index) for index, record in enumerate(records)}
    # a record's digest (the repr of the whole record) is made once: get, then put
    digests = [record_digest(record) if memo is not None else "" for record in records]
    cached = [memo.get(digest) if memo is not None else None for digest in digests]
    to_check = [
        record for record, findings in zip(records, cached, strict=True) if findings is None
    ]
    made_in_pool = made_in_processes(partial(_pooled_findings, report_rules, settings), to_check)
    with contextlib.closing(made_in_pool) as pooled:  # the pool ends here, also on a fault
        for record, digest, findings in zip(records, digests, cached, strict=True):
            if findings is None:
                made = next(pooled)  # to_check's order: the records without cached findings
                faults = _FaultCount(on_fault)
                # not made in a pool, or a rule raised there: checked here, the faults told
                findings = (
                    findings_from_json(made["findings"])
                    if made is not None
                    else _report_findings(
                        record, report_rules, settings, faults if on_fault is not None else None
                    )
                )
                if memo is not None and not faults.count:
                    memo.put(digest, findings)  # a rule that raised has no findings to keep
            found.setdefault(ids[id(record)], []).extend(findings)
    groups = group_by_agency(records)
    regions = group_by_region(records)
    for rule in RULES:
        if isinstance(rule, ReportRule) or settings[rule.id] == "ignore":
            continue
        for group in groups if isinstance(rule, CorpusRule) else regions:
            try:
                results = list(rule.check(group))
            except Exception as error:
                if on_fault is None:
                    raise
                for record in group:
                    on_fault(record, rule.id, error)
                continue
            for record, observation in results:
                finding = _finish(rule, observation, record, settings[rule.id])
                if finding is not None:
                    found[ids[id(record)]].append(finding)
    if memo is not None:
        memo.save()
    return {key: _sort(found[key]) for key in sorted(found)}


def _pooled_findings(
    rules: Sequence[ReportRule], settings: Mapping[str, LevelSetting], record: Record
) -> dict[str, str]:
    """A record's report findings, made in a worker (generator/pool.py): a rule that raises
    there makes the record's job None, and the parent checks it again and tells the fault."""
    return {"findings": findings_json(_report_findings(record, rules, settings, None))}


class _FaultCount:
    """An OnFault that counts the faults it passes on."""

    def __init__(self, on_fault: OnFault | None) -> None:
        self.on_fault, self.count = on_fault, 0

    def __call__(self, record: Record, rule_id: str, error: BaseException) -> None:
        self.count += 1
        if self.on_fault is not None:
            self.on_fault(record, rule_id, error)


def _record_id(record: Record, index: int) -> str:
    return record.id or f"#{index + 1}"


__all__ = [
    "RULES",
    "RULES_BY_ID",
    "SETTINGS",
    "CorpusRule",
    "LevelSetting",
    "RegionRule",
    "ReportRule",
    "Rule",
    "check_corpus",
    "check_record",
    "group_by_agency",
    "group_by_region",
    "load_levels",
]
