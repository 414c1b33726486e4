"""Search terms for report and agency pages: none any more.

The search index (generator/search.py) now gives every page its words itself, from the page's
text, when Pagefind indexes it; a page no longer carries a hidden term list (which showed in
result excerpts). The function stays until its call sites in generator/render/reports.py go
(issue 14; reports.py is being reworked for issue 18).
"""

from __future__ import annotations

from collections.abc import Iterable


def search_terms(phrases: Iterable[str | None], text: str = "") -> str:
    """Always ""; kept for the callers in reports.py, the templates no longer print it."""
    return ""
