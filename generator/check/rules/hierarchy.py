"""HI-01, HI-02: a region's reports add up (generator/analysis/hierarchy.py; issue 17).

Region rules: they take the records of one province (generator.check.group_by_region) and
compare a government's report, where it claims to count its whole area, with the reports of
the same place's office and departments and of the places one level down. The finding is on
the government's report, at the cell whose total the members' sum exceeds.

The portal's own analysis, not a legal requirement (certainty D, `own_analysis`). The third
candidate of the analysis, HI-03 (a carry-over chain between years), is T3-07's arithmetic:
it is shown on the region pages' 汇总核对 section under T3-07, not a second rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from generator.analysis.hierarchy import RULES_BY_ID, Flag, group_places, sum_flags
from generator.analysis.records import hierarchy_report
from generator.check.access import Observation, fail
from generator.check.rule import RegionRule
from generator.model import Level, Record


def region_flags(group: Sequence[Record]) -> Iterator[tuple[Record, Flag]]:
    """HI-01 and HI-02 flags of the records of one region, each with the government's record
    it is about."""
    published = [r for r in group if r.year is not None]
    by_file = {r.source.file: r for r in published}
    for flag in sum_flags(group_places(hierarchy_report(r) for r in published)):
        yield by_file[flag.cells[0].file], flag


def _rule_flags(rule_id: str, group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    for record, flag in region_flags(group):
        if flag.rule == rule_id:
            yield record, fail(flag.message, flag.cells[0].where)


def appeals_within_area_total(group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    """HI-01 (region)."""
    return _rule_flags("HI-01", group)


def requests_within_area_total(group: Sequence[Record]) -> Iterator[tuple[Record, Observation]]:
    """HI-02 (region)."""
    return _rule_flags("HI-02", group)


def _region_rule(
    rule_id: str, check: Callable[[Sequence[Record]], Iterator[tuple[Record, Observation]]]
) -> RegionRule:
    """The analysis' rule candidate (title, what, basis: kept in one place) as a region rule:
    a warning of certainty D, the portal's own analysis."""
    candidate = RULES_BY_ID[rule_id]
    return RegionRule(
        id=rule_id,
        title=candidate.title,
        level=Level.WARNING,
        what=candidate.what,
        basis=candidate.basis,
        certainty="D",
        own_analysis=True,
        check=check,
    )


RULES = (
    _region_rule("HI-01", appeals_within_area_total),
    _region_rule("HI-02", requests_within_area_total),
)
