"""docs/contract.md and the code agree: every parse-warning code the readers and the parser
emit is documented, and nothing documented is never emitted."""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import WARNING_CODES

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "contract.md"
CODE = re.compile(r"`([a-z]+(?:-[a-z]+)*)`(?=\s+\(|,)")
"""A code as the list writes it: `code` followed by its explanation in brackets, or a comma."""


def documented_codes() -> set[str]:
    """The codes listed under `parse.warnings` (from "Codes" up to the next section)."""
    text = CONTRACT.read_text("utf-8")
    start = text.index("Codes (", text.index("- `parse.warnings`"))
    end = text.index("\n## ", start)
    return set(CODE.findall(text[start:end]))


def emitted_codes() -> set[str]:
    """Codes written as string literals by the readers and the parser."""
    sources = [
        *(ROOT / "generator" / "ingest").glob("*.py"),
        *(ROOT / "generator" / "parse").glob("*.py"),
    ]
    text = "\n".join(path.read_text("utf-8") for path in sources)
    return {code for code in WARNING_CODES if f'"{code}"' in text}


def test_contract_lists_exactly_the_warning_codes() -> None:
    assert documented_codes() == set(WARNING_CODES)


def test_every_known_code_is_emitted_somewhere() -> None:
    assert emitted_codes() == set(WARNING_CODES)
