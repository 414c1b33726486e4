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

from collections.abc import Iterator, Sequence

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


_HI01, _HI02 = RULES_BY_ID["HI-01"], RULES_BY_ID["HI-02"]
"""The wording of the analysis' rule candidates (title, what, basis), kept in one place."""

RULES = (
    RegionRule(
        id="HI-01",
        title=_HI01.title,
        level=Level.WARNING,
        what=_HI01.what,
        basis=_HI01.basis,
        certainty="D",
        own_analysis=True,
        check=appeals_within_area_total,
    ),
    RegionRule(
        id="HI-02",
        title=_HI02.title,
        level=Level.WARNING,
        what=_HI02.what,
        basis=_HI02.basis,
        certainty="D",
        own_analysis=True,
        check=requests_within_area_total,
    ),
)
