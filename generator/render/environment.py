"""The Jinja environment for the Markdown templates, and the escaping every record value gets.

Report text is untrusted. Every `{{ value }}` in a template passes through `finalize`, which
HTML-escapes it and turns Markdown syntax characters into numeric character references, so
report text can never become markup, a link, a heading, a table or a snippet include.
Template code marks its own trusted markup with `Markup` (macros do this automatically).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

if TYPE_CHECKING:
    from generator.render.tables import Value

# Characters that start Markdown (or pymdownx / attr_list) syntax anywhere in a line.
# Python-Markdown leaves `&#NN;` references alone and the browser shows the character.
_INLINE_SPECIALS = "\\`*_[](){}#|~!"
_HTML: dict[str, str | int | None] = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
}
_HTML_TABLE = str.maketrans(_HTML)
_TABLE = {**_HTML, **{c: f"&#{ord(c)};" for c in _INLINE_SPECIALS}}
_TRANSLATE = str.maketrans(_TABLE)
# Line starts that open block syntax after the inline pass: list items (-, +, 1.), rules and
# setext underlines (---, ===), snippets (--8<--).
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+[.)])", re.MULTILINE)
# Characters that are safe as-is and readable, used where a value goes into YAML front matter
# or a page title that MkDocs/Material may print without escaping.
_PLAIN = str.maketrans(
    {
        "<": "＜",
        ">": "＞",
        "&": "＆",
        '"': "＂",
        "'": "＇",
        "`": "｀",
        "\\": "＼",
        "{": "｛",
        "}": "｝",
        "[": "［",
        "]": "］",
        "#": "＃",
        "*": "＊",
        "_": "＿",
        "|": "｜",
    }
)
_SPACES = re.compile(r"\s+")
NULL_TOOLTIP = "报告未填写"


def escape_html(value: Any) -> Markup:
    """HTML-escape <>&"' (for attribute values and raw HTML blocks)."""
    return Markup(str(value).translate(_HTML_TABLE))


def escape_md(value: Any) -> Markup:
    """Escape for Markdown *and* HTML: the result renders as the literal text, never as markup."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    # names and numbers recur on many pages (an agency on each of its regions' pages)
    return _escape_short(text) if len(text) <= SHORT_TEXT else _escape_md(text)


SHORT_TEXT = 120


@lru_cache(maxsize=1 << 15)
def _escape_short(text: str) -> Markup:
    return _escape_md(text)


def _escape_md(text: str) -> Markup:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)

    def _neutralise(match: re.Match[str]) -> str:
        marker = match.group(2)
        if marker[0].isdigit():  # "1." -> "1&#46;"
            return match.group(1) + marker[:-1] + f"&#{ord(marker[-1])};"
        return match.group(1) + f"&#{ord(marker)};"

    text = _LINE_START.sub(_neutralise, text)
    # Four leading spaces would make an indented code block; they carry no meaning in reports.
    text = "\n".join(line.lstrip(" \t") for line in text.split("\n"))
    return Markup(text)


def inline(value: Any) -> Markup:
    """Escape and fold all white space to single spaces (for table cells, headings, list items)."""
    if value is None:
        return Markup("")
    return escape_md(_SPACES.sub(" ", str(value)).strip())


def paragraphs(value: Any) -> Markup:
    """Escaped narrative text: one Markdown paragraph per non-empty source line."""
    if value is None:
        return Markup("")
    lines = [line.strip() for line in str(value).splitlines()]
    return Markup("\n\n".join(escape_md(line) for line in lines if line))


def html_paragraphs(value: Any) -> Markup:
    """Escaped narrative text as HTML: one `<p>` per non-empty source line, the bytes
    Python-Markdown makes of `paragraphs` (for an HTML fragment, generator/render/output.py)."""
    if value is None:
        return Markup("")
    lines = [line.strip() for line in str(value).splitlines()]
    return Markup("\n".join(f"<p>{escape_md(line)}</p>" for line in lines if line))


def html_inline(value: Any) -> Markup:
    """`inline` for an HTML fragment (generator/render/output.py): white space folded to
    single spaces, then HTML-escaped only (a fragment never reaches Python-Markdown, so
    Markdown syntax characters stay as they are)."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = str(value)
    return _html_inline(text) if len(text) <= SHORT_TEXT else _html_inline.__wrapped__(text)


@lru_cache(maxsize=1 << 15)
def _html_inline(text: str) -> Markup:
    return escape_html(_SPACES.sub(" ", text).strip())


def html_or_dash(value: Any) -> Markup:
    """`or_dash` for an HTML fragment: null or empty -> "—", otherwise `html_inline`."""
    return Markup("—") if value is None or value == "" else html_inline(value)


def html_null(value: Any) -> Markup:
    """`null_mark` for an HTML fragment: the number, or the dash with the tooltip."""
    if value is None:
        return null_mark(None)
    return html_inline(number(value))


def plain(value: Any) -> str:
    """Text with markup-significant ASCII replaced by full-width look-alikes (titles, tags)."""
    return _SPACES.sub(" ", str(value)).strip().translate(_PLAIN)


def yaml_str(value: Any) -> Markup:
    """A JSON string literal (valid YAML) of `plain(value)`: safe in front matter."""
    return Markup(json.dumps(plain(value), ensure_ascii=False))


def number(value: Any) -> str:
    """A count or amount as printed; floats without a spurious exponent."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return format(value, "f").rstrip("0").rstrip(".") if value != int(value) else str(value)
    return str(value)


def cell(
    value: Any,
    anchor: str,
    colspan: int = 1,
    corrected: dict[str, Any] | None = None,
    null_reason: NullReason | None = None,
) -> Markup:
    """An HTML <td> with a stable id; null is an explicit dash with a tooltip, never 0. A
    corrected cell is marked (class nb-corrected, a "*") and says the report's own value on
    hover: the page must not pass a corrected number off as the report's. A null cell says
    why on hover (null_reason; default: not filled in), and one the report did fill in but
    that could not be read is marked apart (class nb-unread, a "?"): blank and unreadable
    are different facts."""
    attrs = f' id="{escape_html(anchor)}"' + (f' colspan="{int(colspan)}"' if colspan > 1 else "")
    shown = "—" if value is None else escape_html(number(value))
    if corrected is not None:
        original = corrected["original"]
        before = "空白" if original is None else number(original)
        tip = escape_html(f"已更正：报告原文为“{before}”。理由：{corrected['reason']}")
        return Markup(f'<td{attrs} class="nb-corrected" title="{tip}">{shown}<sup>*</sup></td>')
    if value is None:
        if null_reason is not None and null_reason.unread:
            tip = escape_html(null_reason.tip)
            return Markup(f'<td{attrs} class="nb-null nb-unread" title="{tip}">—<sup>?</sup></td>')
        why = escape_html(null_reason.tip if null_reason is not None else NULL_TOOLTIP)
        return Markup(f'<td{attrs} class="nb-null" title="{why}">—</td>')
    return Markup(f"<td{attrs}>{shown}</td>")


def cells(
    values: Iterable[Value],
    corrected: dict[str, Any],
    nulls: dict[str, NullReason],
) -> Markup:
    """The <td>s of one table row (generator/render/tables.py Value items): `cell` of each,
    with its correction and null reason. One call a row, not a template call a cell: the
    statistical tables have about 200 cells a report (199,488 calls at 1,000 reports)."""
    return Markup("").join(
        cell(v.value, v.anchor, v.colspan, corrected.get(v.anchor), nulls.get(v.anchor))
        for v in values
    )


@dataclass(frozen=True, slots=True)
class NullReason:
    """Why a table cell is null, as its tooltip says (generator/render/reports.py)."""

    tip: str
    unread: bool
    """The report printed something there that could not be read as a number."""


def pre_text(value: Any) -> Markup:
    """Escaped text for one raw `<pre>` line: every line break becomes `&#10;`, so the block
    has no blank line Markdown could end it at, and nothing in it is markup."""
    if value is None:
        return Markup("")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    return Markup(text.replace("\n", "&#10;"))


def null_mark(value: Any) -> Markup:
    """A value for a Markdown table cell: the number, or the dash with the tooltip."""
    if value is None:
        return Markup(f'<span class="nb-null" title="{NULL_TOOLTIP}">—</span>')
    return inline(number(value))


def or_dash(value: Any) -> Markup:
    """Null or empty -> "—"; otherwise the escaped one-line text (prose fields, table cells)."""
    return Markup("—") if value is None or value == "" else inline(value)


def _finalize(value: Any) -> Any:
    if value is None:
        # Printing None is a template bug (say what to show instead), not "None" on a page.
        raise jinja2.UndefinedError("a template printed a null value; use |or_dash")
    if isinstance(value, Markup):
        return value
    return escape_md(value)


def make_environment(bytecode_dir: Path | None = None, **globals_: Any) -> jinja2.Environment:
    """Templates from generator/render/templates; StrictUndefined; autoescape + Markdown escape.
    bytecode_dir: where compiled templates are kept between builds (None: not kept)."""
    bytecode_cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        auto_reload=False,  # one environment per build: no file check on every page
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        # `{#id}` is attr_list heading-id syntax in the templates, so comments are `{## ##}`.
        comment_start_string="{##",
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        escape_md=escape_md,
        escape_html=escape_html,
        inline=inline,
        paragraphs=paragraphs,
        html_paragraphs=html_paragraphs,
        html_inline=html_inline,
        html_or_dash=html_or_dash,
        html_null=html_null,
        plain=plain,
        yaml_str=yaml_str,
        number=number,
        cells=cells,
        or_dash=or_dash,
        null_mark=null_mark,
        pre_text=pre_text,
    )
    env.globals.update(globals_)
    return env
