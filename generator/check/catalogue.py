"""The rule catalogue of format-and-rules.md §5: the table of contents of the rule modules.

Each module in generator/check/rules/ declares its rules (`RULES`) next to the functions that
implement them. Here they are put in catalogue order: by family as §5 lists them, then by
number (T3-07, a corpus rule in continuity.py, sits between T3-06 and T3-08); the portal's
own analyses (HI, region rules in hierarchy.py) come last. Adding a rule to an existing family
is an edit of its module only (docs/contract.md, "Adding a rule").
"""

from __future__ import annotations

from generator.check.rule import FAMILIES, Rule
from generator.check.rules import (
    appeals_table,
    artefacts,
    continuity,
    edition,
    hierarchy,
    metadata,
    narrative,
    narrative_numbers,
    proactive_table,
    requests_table,
    similarity,
    structure,
)


def _catalogue_order(rule: Rule) -> tuple[int, int]:
    family, number = rule.id.split("-")
    return list(FAMILIES).index(family), int(number)


RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *structure.RULES,
            *edition.RULES,
            *requests_table.RULES,
            *continuity.RULES,
            *appeals_table.RULES,
            *proactive_table.RULES,
            *narrative_numbers.RULES,
            *narrative.RULES,
            *similarity.RULES,
            *metadata.RULES,
            *artefacts.RULES,
            *hierarchy.RULES,
        ),
        key=_catalogue_order,
    )
)
