"""A person's trend as a small vector chart (inline SVG) drawn for paper.

Written here rather than with pygal (efficiency.charts) because a printed chart must name the
fonts the PDF embeds, be sober in black and one accent colour, and carry its values as text;
it takes the numbers as given (from efficiency.results) and only places them.
"""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

ACCENT = "#9b1c1c"
GRID = "#c8c8c8"
INK = "#222222"


def trend_svg(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    font_family: str,
    width: int = 640,
    height: int = 125,
) -> SafeString:
    """Labels and finals (None: not assessed, a gap) as an ``<svg>`` scaled to its box."""
    left, right, top, bottom = 40, 16, 22, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _label, v in points if v is not None]
    low = min(values, default=Decimal(60))
    floor = max(0, min(60, int(low) // 10 * 10))
    ceiling = 100

    def y(value: Decimal | float) -> float:
        return top + plot_h * (1 - (float(value) - floor) / (ceiling - floor))

    count = max(1, len(points))
    step = plot_w / count

    def x(index: int) -> float:
        return left + step * (index + 0.5)

    family = escape(font_family, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="{family}" font-size="11" fill="{INK}">'
    ]
    for guide in range(floor, ceiling + 1, 10):
        gy = y(guide)
        parts.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" '
            f'stroke="{GRID}" stroke-width="{1 if guide in (floor, ceiling) else 0.6}"/>'
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="10">{guide}</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for line in segments:
        if len(line) > 1:
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" stroke="{ACCENT}" '
                'stroke-width="1.8" stroke-linejoin="round"/>'
            )
    last = len(points) - 1
    for index, (label, value) in enumerate(points):
        cx = x(index)
        parts.append(
            f'<text x="{cx:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10.5">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
                f'font-size="10" fill="#777777">—</text>'
            )
            continue
        radius = 4 if index == last else 3
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{y(value):.1f}" r="{radius}" fill="{ACCENT}"/>'
            f'<text x="{cx:.1f}" y="{y(value) - 8:.1f}" text-anchor="middle" '
            f'font-size="10.5">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
