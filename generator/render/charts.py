"""Charts drawn at build time as inline SVG: no JavaScript, no fonts or files from elsewhere.

Every chart is `<svg role="img">` with a `<title>` and an `aria-label`, followed by the same
numbers as a real table (in a `<details>`), so a screen reader or a copy-paste gets the data.
A null value is a gap: no point, no bar, no line through it, and "—" in the table (never 0).
Output is deterministic: coordinates are printed with one fixed format.

The markup is one raw HTML block without blank lines, so Python-Markdown passes it through
untouched; every text in it is escaped with the environment's Markdown+HTML escaping.

What many elements share is said once: the font in nianbao.css (.nb-chart-svg), and the
colour and anchoring of grid lines, axis labels and a series' points on a <g> around them
(SVG inherits these), about a quarter of a chart's bytes (issue 15). The SVG namespace is
implied inside HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.render.environment import NULL_TOOLTIP, inline, number

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
LEVEL_COLORS = (("错误", "#c62828"), ("警告", "#b26a00"), ("提示", "#1565c0"))
"""Compliance levels keep their meaning in every chart: 错误 red, 警告 amber, 提示 blue (the
legend names them too, so colour is never the only cue)."""


def level_color(name: str) -> str | None:
    """The colour of the compliance level a label names, None when it names none."""
    for word, color in LEVEL_COLORS:
        if word in name:
            return color
    return None


def series_color(name: str, index: int) -> str:
    """A series' colour: its level's when it is a level, else the palette's in order."""
    return level_color(name) or PALETTE[index % len(PALETTE)]


WIDTH = 640
HEIGHT = 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64  # plot margins; the legend sits under the x axis

Series = Sequence[tuple[str, Sequence[Any]]]


def _f(value: float) -> str:
    """One fixed coordinate format: at most one decimal, no "-0"."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _t(value: Any) -> str:
    return str(inline(value))


def _nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 4–5 round ticks covering value (>= 1)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step != int(step) and step > 1:
            continue  # counts: never a tick at 2.5 or 7.5
        if step >= raw:
            break
    if step < 1:
        step = 1.0
    return step * math.ceil(value / step), step


def _numeric(values: Sequence[Any]) -> list[float | None]:
    out: list[float | None] = []
    for v in values:
        out.append(float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None)
    return out


PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class _Axis:
    """The y axis of a chart: [low, high] in ticks of step, mapped onto the plot height."""

    low: float
    high: float
    step: float

    def y(self, value: float) -> float:
        return TOP + PLOT_H - (value - self.low) / (self.high - self.low) * PLOT_H


def _axis(values: Sequence[Sequence[float | None]]) -> _Axis:
    return _Axis(*_scale([v for vs in values for v in vs]))


def _frame(title: str, body: list[str], axis: _Axis) -> str:
    lines, labels = ['<g stroke="#ccc">'], ['<g text-anchor="end" fill="#555">']
    tick = axis.low
    while tick <= axis.high + 1e-9:
        y = axis.y(tick)
        lines.append(f'<line x1="{LEFT}" y1="{_f(y)}" x2="{WIDTH - RIGHT}" y2="{_f(y)}"/>')
        labels.append(
            f'<text x="{LEFT - 6}" y="{_f(y + 4)}">'
            f"{_t(number(int(tick) if tick == int(tick) else tick))}</text>"
        )
        tick += axis.step
    parts = [
        f'<svg class="nb-chart-svg" role="img" aria-label="{_t(title)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%">',
        f"<title>{_t(title)}</title>",
        *lines,
        "</g>",
        *labels,
        "</g>",
    ]
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def _figure(
    title: str,
    note: str | None,
    body: list[str],
    axis: _Axis,
    series: Series,
    categories: Sequence[Any],
) -> Markup:
    """The chart, its caption and its data-table alternative (for screen readers)."""
    caption = f"<figcaption>{_t(title)}{'：' + _t(note) if note else ''}</figcaption>"
    return Markup(
        f'<figure class="nb-chart">{caption}{_frame(title, body, axis)}'
        f"{data_table(series, categories, title)}</figure>"
    )


def _legend(labels: Sequence[str]) -> list[str]:
    parts = []
    x, y = LEFT, HEIGHT - 14
    for index, label in enumerate(labels):
        color = series_color(label, index)
        parts.append(f'<rect x="{_f(x)}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{_f(x + 14)}" y="{y}" fill="#333">{_t(label)}</text>')
        x += 28 + 12 * len(label)
    return parts


def _scale(values: list[float | None]) -> tuple[float, float, float]:
    present = [v for v in values if v is not None]
    low = min([0.0, *present])
    high = max([0.0, *present])
    y_max, step = _nice_max(high - low if low < 0 else high)
    if low < 0:
        low_axis = -step * math.ceil(-low / step)
        return low_axis, max(y_max + low_axis, step), step
    return 0.0, y_max, step


def data_table(series: Series, categories: Sequence[Any], caption: str) -> str:
    """The chart's numbers as a table: a row per series, a column per category."""
    head = "".join(f'<th scope="col">{_t(c)}</th>' for c in categories)
    rows = []
    for label, values in series:
        cells = []
        for value in values:
            if value is None:
                cells.append(f'<td class="nb-null" title="{NULL_TOOLTIP}">—</td>')
            else:
                cells.append(f"<td>{_t(number(value))}</td>")
        rows.append(f'<tr><th scope="row">{_t(label)}</th>{"".join(cells)}</tr>')
    return (
        f'<details class="nb-chart-data"><summary>数据表：{_t(caption)}</summary>'
        f'<div class="nb-table-wrap"><table class="nb-table"><tr><th scope="col">项目</th>'
        f"{head}</tr>{''.join(rows)}</table></div></details>"
    )


def line_chart(
    series: Series,
    years: Sequence[int],
    title: str,
    segments: Sequence[Any] | None = None,
    note: str | None = None,
) -> Markup:
    """Lines over years; `segments` gives a key per year (the edition) and no line joins two
    years with different keys, so figures that are not comparable never look continuous.
    A None value is a gap. Returns the figure with its data table, or "" for < 2 years."""
    if len(years) < 2:
        return Markup("")
    values = [_numeric(v) for _, v in series]
    axis = _axis(values)
    y_of = axis.y

    def x_of(i: int) -> float:
        return LEFT + 20 + i * (PLOT_W - 40) / (len(years) - 1)

    body: list[str] = ['<g text-anchor="middle" fill="#555">']
    for i, year in enumerate(years):
        body.append(f'<text x="{_f(x_of(i))}" y="{HEIGHT - BOTTOM + 18}">{_t(year)}</text>')
    body.append("</g>")
    if segments is not None:
        previous = None
        for i in range(len(years)):
            if segments[i] is None:
                continue
            changed = previous is not None and segments[i] != previous
            previous = segments[i]
            if changed:
                x = (x_of(i) + x_of(i - 1)) / 2
                body.append(
                    f'<line class="nb-break" x1="{_f(x)}" y1="{TOP}" x2="{_f(x)}" '
                    f'y2="{TOP + PLOT_H}" stroke="#999" stroke-dasharray="4 3"/>'
                )
                body.append(
                    f'<text x="{_f(x + 3)}" y="{TOP + 10}" fill="#777" font-size="10">'
                    f"格式变更</text>"
                )
    for index, vs in enumerate(values):
        color = series_color(series[index][0], index)
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(vs):
            joined = (
                run
                and vs[i - 1] is not None
                and (segments is None or segments[i] == segments[i - 1])
            )
            if v is None or not joined:
                if len(run) > 1:
                    runs.append(run)
                run = []
            if v is not None:
                run.append(f"{_f(x_of(i))},{_f(y_of(v))}")
        if len(run) > 1:
            runs.append(run)
        for points in runs:
            body.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                f'points="{" ".join(points)}"/>'
            )
        body.append(f'<g fill="{color}">')
        for i, v in enumerate(vs):
            if v is not None:
                body.append(
                    f'<circle cx="{_f(x_of(i))}" cy="{_f(y_of(v))}" '
                    f'r="3.5"><title>{_t(series[index][0])} {_t(years[i])}'
                    f"：{_t(number(series[index][1][i]))}</title></circle>"
                )
        body.append("</g>")
    body.extend(_legend([label for label, _ in series]))
    return _figure(title, note, body, axis, series, years)


def bar_chart(
    series: Series, categories: Sequence[Any], title: str, note: str | None = None
) -> Markup:
    """Grouped vertical bars: one group per category, one bar per series; None = no bar."""
    if not categories or not series:
        return Markup("")
    values = [_numeric(v) for _, v in series]
    axis = _axis(values)
    y_of = axis.y
    group_w = PLOT_W / len(categories)
    bar_w = min(40.0, group_w * 0.8 / len(series))

    centers = [LEFT + group_w * (c + 0.5) for c in range(len(categories))]
    body: list[str] = ['<g text-anchor="middle" fill="#555">']
    for center, category in zip(centers, categories, strict=True):
        body.append(f'<text x="{_f(center)}" y="{HEIGHT - BOTTOM + 18}">{_t(category)}</text>')
    body.append("</g>")
    for c, (center, category) in enumerate(zip(centers, categories, strict=True)):
        start = center - bar_w * len(series) / 2
        for s, vs in enumerate(values):
            v = vs[c]
            if v is None:
                continue
            top, bottom = sorted((y_of(v), y_of(0.0)))
            color = series_color(series[s][0], s)
            if len(series) == 1:  # one series over the levels (a single year): by category
                color = level_color(str(category)) or color
            body.append(
                f'<rect class="nb-bar" x="{_f(start + s * bar_w)}" y="{_f(top)}" '
                f'width="{_f(bar_w - 2)}" height="{_f(max(bottom - top, 0.5))}" '
                f'fill="{color}"><title>{_t(series[s][0])} {_t(category)}：'
                f"{_t(number(series[s][1][c]))}</title></rect>"
            )
    if len(series) > 1:
        body.extend(_legend([label for label, _ in series]))
    return _figure(title, note, body, axis, series, categories)
