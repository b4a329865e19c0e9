"""The project's one chart engine: numbers in, an inline ``<svg>`` out, for pages and PDFs alike.

Pure (no ORM, no request): it takes the numbers as given (from efficiency.results) and only
places them. The markup has no script and no ``style`` attribute or ``<style>`` element, only
presentation attributes (``fill=``, ``font-family=``...), so the page's Content Security Policy
needs no nonce for it and WeasyPrint draws it as vectors. Every text is escaped. The SVG has a
viewBox and ``width="100%"``: it scales to its box. Values are not shown on hover; pages put a
small data table under each chart.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The office PCs' Chinese fonts first, then the open ones (as in app.css).
FONTS = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

# Sober, distinguishable on paper (also in grey) and on screen; the office red first.
COLOURS = (
    "#a4262c",
    "#1f4e8c",
    "#2e7d4f",
    "#8a5a00",
    "#5b4b8a",
    "#0f7c86",
    "#6b6b6b",
    "#c0692b",
    "#7d1a1f",
    "#4a7fc1",
    "#7a9a3a",
    "#a05a8a",
)
INK = "#222222"
MUTED = "#666666"
GRID = "#cfcfcf"


@dataclass(frozen=True)
class _Frame:
    """Where the plot sits in the picture, and how tall the whole picture is."""

    left: float
    top: float
    right: float
    bottom: float
    height: float
    step: float  # the width given to one category (a quarter, a grade)

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    def x(self, index: int) -> float:
        """The middle of the index-th category."""
        return self.left + self.step * (index + 0.5)


def _text_width(text: str, size: float) -> float:
    # An estimate without font metrics: a CJK glyph is one em wide, Latin ones about 0.6.
    return sum(size if ord(char) > 0x2E80 else 0.6 * size for char in text)


def _number(value: Decimal | float | int, places: int = 2) -> str:
    return f"{value:.{places}f}"


def _legend(
    names: Sequence[str], *, x: float, y: float, width: float, size: float
) -> tuple[list[str], float]:
    """The series' names with their colour, wrapped onto as many rows as they need.

    Returns the markup and the height it takes, so that the chart grows rather than its plot
    shrinking to nothing when a trend has many sections.
    """
    row_height = size * 1.6
    swatch = size * 0.9
    parts: list[str] = []
    cx, cy = x, y
    for index, name in enumerate(names):
        item = swatch + size * 0.4 + _text_width(name, size) + size * 1.4
        if cx > x and cx + item > x + width:
            cx, cy = x, cy + row_height
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<rect x="{cx:.1f}" y="{cy + (row_height - swatch) / 2:.1f}" width="{swatch:.1f}" '
            f'height="{swatch:.1f}" fill="{colour}"/>'
            f'<text x="{cx + swatch + size * 0.4:.1f}" y="{cy + row_height / 2 + size * 0.35:.1f}">'
            f"{escape(name)}</text>"
        )
        cx += item
    return parts, (cy - y + row_height if names else 0)


def _open(title: str, width: int, height: float, font_family: str, size: float) -> list[str]:
    # A chart without a title (the PDF's, under its section heading) is named by that heading.
    label = escape(title)
    named = f' aria-label="{label}"' if title else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="100%" role="img"{named} font-family="{escape(font_family)}" '
        f'font-size="{size:g}" fill="{INK}">' + (f"<title>{label}</title>" if title else ""),
        f'<rect width="{width}" height="{height:.0f}" fill="#ffffff"/>',
    ]


def _titles(title: str, y_title: str, frame: _Frame, size: float, margin: float) -> list[str]:
    parts = []
    if title:
        parts.append(
            f'<text class="title" x="{frame.left:.1f}" y="{margin + size * 1.1:.1f}" '
            f'font-size="{size + 2:g}" font-weight="bold">{escape(title)}</text>'
        )
    if y_title:
        cx, cy = margin + size * 0.8, frame.top + frame.plot_height / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" fill="{MUTED}" '
            f'transform="rotate(-90 {cx:.1f} {cy:.1f})">{escape(y_title)}</text>'
        )
    return parts


def _x_labels(
    labels: Sequence[str], x, *, step: float, y: float, size: float
) -> tuple[list[str], float]:
    """Category labels under the axis, slanted when they would run into each other."""
    widest = max((_text_width(label, size) for label in labels), default=0)
    slant = widest > step - size * 0.5
    parts = []
    for index, label in enumerate(labels):
        cx = x(index)
        if slant:
            parts.append(
                f'<text x="{cx:.1f}" y="{y + size:.1f}" text-anchor="end" '
                f'transform="rotate(-35 {cx:.1f} {y + size:.1f})">{escape(label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{cx:.1f}" y="{y + size * 1.2:.1f}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    height = widest * math.sin(math.radians(35)) + size * 1.6 if slant else size * 1.8
    return parts, height


def _layout(
    *,
    labels: Sequence[str],
    names: Sequence[str],
    width: int,
    height: int,
    size: float,
    margin: float,
    title: str,
    y_title: str,
    y_label_width: float,
    headroom: float,
) -> tuple[_Frame, list[str], list[str]]:
    """Measure the titles, axis labels and legend, and place the plot between them."""
    left = margin + (size * 1.8 if y_title else 0) + y_label_width + size * 0.6
    right = width - margin - size * 1.5
    top = margin + (size * 2.4 if title else 0) + headroom
    count = max(1, len(labels))
    step = (right - left) / count

    def x(index: int) -> float:
        return left + step * (index + 0.5)

    # The labels and the legend's first row take their room from the height asked for; more
    # rows of legend make the picture taller instead, so the plot never shrinks to nothing.
    x_parts, x_height = _x_labels(labels, x, step=step, y=0, size=size)
    legend_parts, legend_height = _legend(names, x=left, y=0, width=right - left, size=size)
    row = size * 1.6
    gap = size * 0.6 if legend_parts else 0
    bottom = height - margin - x_height - gap - min(legend_height, row)
    grown = height + max(0, legend_height - row)
    frame = _Frame(left=left, top=top, right=right, bottom=bottom, height=grown, step=step)
    x_group = [f'<g transform="translate(0 {bottom:.1f})">', *x_parts, "</g>"]
    legend_group = []
    if legend_parts:
        legend_at = bottom + x_height + gap
        legend_group = [f'<g transform="translate(0 {legend_at:.1f})">', *legend_parts, "</g>"]
    return frame, x_group, legend_group


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    y_title: str = "",
    width: int = 1000,
    height: int = 420,
    show_values: bool = False,
    legend: bool = True,
    font_family: str = FONTS,
    font_size: float = 13,
) -> SafeString:
    """A line chart of scores as an ``<svg>`` element ready to put in a page or a PDF.

    The y axis runs in tens from 60 (lower if a value is lower) to 100 (higher if a value is
    higher). ``None`` leaves a gap: the line stops and starts again (a quarter not assessed).
    ``show_values`` writes each value over its point; ``legend`` names the series under the
    plot, on as many rows as they take (the picture grows taller). For paper, pass the PDF's
    ``font_family`` and a smaller ``font_size``.
    """
    size = font_size
    margin = size * 0.9
    values = [v for _name, points in series for v in points if v is not None]
    low = min(values, default=Decimal(60))
    high = max(values, default=Decimal(100))
    floor = max(0, min(60, int(low) // 10 * 10))
    ceiling = 100 if high <= 100 else int(high) // 10 * 10 + 10
    names = [name for name, _points in series] if legend else []
    frame, x_group, legend_group = _layout(
        labels=x_labels,
        names=names,
        width=width,
        height=height,
        size=size,
        margin=margin,
        title=title,
        y_title=y_title,
        y_label_width=_text_width(str(ceiling), size),
        headroom=size * 1.4 if show_values else size * 0.6,
    )

    x = frame.x

    def y(value: Decimal | float) -> float:
        share = (float(value) - floor) / (ceiling - floor)
        return frame.bottom - frame.plot_height * share

    parts = _open(title or y_title, width, frame.height, font_family, size)
    parts += _titles(title, y_title, frame, size, margin)
    for guide in range(floor, ceiling + 1, 10):
        gy = y(guide)
        edge = guide in (floor, ceiling)
        parts.append(
            f'<line x1="{frame.left:.1f}" y1="{gy:.1f}" x2="{frame.right:.1f}" y2="{gy:.1f}" '
            f'stroke="{GRID}" stroke-width="{1 if edge else 0.6}"/>'
            f'<text x="{frame.left - size * 0.5:.1f}" y="{gy + size * 0.35:.1f}" '
            f'text-anchor="end" fill="{MUTED}">{guide}</text>'
        )
    parts += x_group
    lone = len(series) == 1
    for number, (_name, points) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        runs: list[list[str]] = [[]]
        for index, value in enumerate(points):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(index):.1f},{y(value):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{size * 0.17:.1f}" stroke-linejoin="round"/>'
                )
        for index, value in enumerate(points):
            if value is None:
                if lone and show_values:
                    parts.append(
                        f'<text x="{x(index):.1f}" y="{frame.top + frame.plot_height / 2:.1f}" '
                        f'text-anchor="middle" fill="{MUTED}">—</text>'
                    )
                continue
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="{size * 0.27:.1f}" '
                f'fill="{colour}"/>'
            )
            if show_values:
                parts.append(
                    f'<text x="{x(index):.1f}" y="{y(value) - size * 0.7:.1f}" '
                    f'text-anchor="middle">{_number(value)}</text>'
                )
    parts += legend_group
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _count_scale(high: int) -> tuple[int, int]:
    """A round top and step for counts: at most six guides, whole numbers."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if max(high, 2) <= step * 5:
            return step * max(1, math.ceil(max(high, 2) / step)), step
    step = 10 ** (len(str(high)) - 1)
    return step * math.ceil(high / step), step


def bar_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    y_title: str = "",
    width: int = 640,
    height: int = 300,
    font_family: str = FONTS,
    font_size: float = 13,
) -> SafeString:
    """A bar chart of counts (people per grade, say) as an ``<svg>`` element.

    Each bar carries its count; several series stand side by side and get a legend.
    """
    size = font_size
    margin = size * 0.9
    high = max((v for _name, values in series for v in values), default=0)
    ceiling, step_value = _count_scale(high)
    names = [name for name, _values in series] if len(series) > 1 else []
    frame, x_group, legend_group = _layout(
        labels=x_labels,
        names=names,
        width=width,
        height=height,
        size=size,
        margin=margin,
        title=title,
        y_title=y_title,
        y_label_width=_text_width(str(ceiling), size),
        headroom=size * 1.4,
    )

    def y(value: int) -> float:
        return frame.bottom - frame.plot_height * value / ceiling

    parts = _open(title or y_title, width, frame.height, font_family, size)
    parts += _titles(title, y_title, frame, size, margin)
    for guide in range(0, ceiling + 1, step_value):
        gy = y(guide)
        parts.append(
            f'<line x1="{frame.left:.1f}" y1="{gy:.1f}" x2="{frame.right:.1f}" y2="{gy:.1f}" '
            f'stroke="{GRID}" stroke-width="{1 if guide in (0, ceiling) else 0.6}"/>'
            f'<text x="{frame.left - size * 0.5:.1f}" y="{gy + size * 0.35:.1f}" '
            f'text-anchor="end" fill="{MUTED}">{guide}</text>'
        )
    parts += x_group
    step = frame.step
    group = step * 0.7
    bar = group / max(1, len(series))
    for number, (_name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        for index, value in enumerate(values):
            bx = frame.left + step * index + (step - group) / 2 + bar * number
            top = y(value)
            parts.append(
                f'<rect x="{bx + bar * 0.05:.1f}" y="{top:.1f}" width="{bar * 0.9:.1f}" '
                f'height="{frame.bottom - top:.1f}" fill="{colour}"/>'
                f'<text x="{bx + bar / 2:.1f}" y="{top - size * 0.4:.1f}" '
                f'text-anchor="middle">{_number(value, 0)}</text>'
            )
    parts += legend_group
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


# One hue, light to dark: a count's cell darkens with it, legible in grey on paper too.
HEAT = ("#e8eff8", "#c6d6ec", "#98b6dd", "#6690c8", "#3a68a8", "#1f4e8c", "#123564")
DARK_FROM = 3  # from this shade on, the number is written in white


def heat_shade(value: int, high: int) -> int:
    """The shade (index into HEAT) of a count against the largest: -1 for nothing."""
    if value <= 0 or high <= 0:
        return -1
    return min(len(HEAT) - 1, math.ceil(value * len(HEAT) / high) - 1)


def heatmap(
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    links: Sequence[Sequence[str | None]] | None = None,
    link_labels: Sequence[Sequence[str]] | None = None,
    width: int = 1000,
    font_family: str = FONTS,
    font_size: float = 13,
) -> SafeString:
    """A grid of counts (sections × months, say) as an ``<svg>`` element.

    Each cell is shaded in one hue, lighter to darker as its count grows against the largest,
    and carries its number (white on the dark shades), so it reads in black-and-white print.
    ``links``: an href per cell (None for none), for the page: each cell is then a link with
    ``link_labels`` (or "row column: count") as its accessible name.
    """
    size = font_size
    margin = size * 0.9
    high = max((v for row in values for v in row), default=0)
    label_width = max((_text_width(label, size) for label in row_labels), default=0)
    left = margin + label_width + size * 0.8
    right = width - margin
    count = max(1, len(column_labels))
    step = (right - left) / count
    widest = max((_text_width(label, size) for label in column_labels), default=0)
    slant = widest > step - size * 0.4
    header = widest * math.sin(math.radians(35)) + size * 1.2 if slant else size * 1.8
    top = margin + (size * 2.4 if title else 0) + header
    cell = size * 2.2
    height = top + cell * max(1, len(row_labels)) + margin
    parts = _open(title, width, height, font_family, size)
    if title:
        parts.append(
            f'<text class="title" x="{margin:.1f}" y="{margin + size * 1.1:.1f}" '
            f'font-size="{size + 2:g}" font-weight="bold">{escape(title)}</text>'
        )
    for index, label in enumerate(column_labels):
        cx = left + step * (index + 0.5)
        cy = top - size * 0.6
        if slant:
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="start" '
                f'transform="rotate(-35 {cx:.1f} {cy:.1f})">{escape(label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle">{escape(label)}</text>'
            )
    for row_index, label in enumerate(row_labels):
        y = top + cell * row_index
        parts.append(
            f'<text x="{left - size * 0.6:.1f}" y="{y + cell / 2 + size * 0.35:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        row = values[row_index] if row_index < len(values) else ()
        for column, value in enumerate(row):
            x = left + step * column
            shade = heat_shade(value, high)
            fill = HEAT[shade] if shade >= 0 else "#ffffff"
            ink = "#ffffff" if shade >= DARK_FROM else (MUTED if shade < 0 else INK)
            weight = ' font-weight="bold"' if shade >= DARK_FROM else ""
            piece = (
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{step - 2:.1f}" '
                f'height="{cell - 2:.1f}" fill="{fill}" stroke="{GRID}" stroke-width="0.6"/>'
                f'<text x="{x + step / 2:.1f}" y="{y + cell / 2 + size * 0.35:.1f}" '
                f'text-anchor="middle" fill="{ink}"{weight}>{value}</text>'
            )
            href = links[row_index][column] if links else None
            if href:
                name = (
                    link_labels[row_index][column]
                    if link_labels
                    else f"{row_labels[row_index]} {column_labels[column]}: {value}"
                )
                piece = f'<a href="{escape(href)}" aria-label="{escape(name)}">{piece}</a>'
            parts.append(piece)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
