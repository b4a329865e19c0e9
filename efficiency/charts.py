"""Charts drawn as inline SVG with pygal: no script, no network, the same markup in a page and
in a PDF (WeasyPrint draws inline SVG).

pygal always writes a ``<script>`` with its tooltip configuration into the SVG; the filter
below removes it, and ``js=[]`` keeps the tooltip library (fetched from a CDN by default) out.
Values are therefore not shown on hover: pages put a small data table under each chart.
The SVG's own ``<style>`` needs the page's CSP nonce, so templates write
``{{ chart|with_csp_nonce:request.csp_nonce }}`` (efficiency/templatetags/csp_extras.py).
"""

import math
from collections.abc import Sequence
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# The office PCs' Chinese fonts first, then the open ones (as in app.css).
FONTS = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

# Sober, distinguishable on paper and on screen; the office red first.
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

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#222222",
    foreground_subtle="#d9d4cc",
    opacity=".9",
    opacity_hover="1",
    colors=COLOURS,
    font_family=FONTS,
    label_font_family=FONTS,
    major_label_font_family=FONTS,
    value_font_family=FONTS,
    value_label_font_family=FONTS,
    title_font_family=FONTS,
    legend_font_family=FONTS,
    tooltip_font_family=FONTS,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
    value_label_font_size=12,
)


def _without_scripts(root):
    for parent in list(root.iter()):
        # The page's Content Security Policy forbids style="" attributes; pygal's only one
        # hides the tooltip that its (removed) script would show.
        parent.attrib.pop("style", None)
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _value(value: Decimal | None) -> float | None:
    # pygal plots floats; the numbers a reader relies on are in the table under the chart.
    return None if value is None else float(value)


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
) -> SafeString:
    """A line chart as an ``<svg>`` element ready to put in a template.

    ``None`` values leave a gap (a quarter not assessed). The SVG scales to its container's
    width (it has a viewBox and no fixed size).
    """
    columns = min(5, max(1, len(series)))
    if legend and series:
        # pygal takes the legend's rows out of the plot: past about 17 rows at 420 px nothing
        # is left, and pygal's split_title then loops for ever, eating memory. Grow instead.
        height += math.ceil(len(series) / columns) * 16
    values = [v for _name, points in series for v in points if v is not None]
    low = min(values, default=Decimal(60))
    high = max(values, default=Decimal(100))
    floor = max(0, min(60, int(low) // 10 * 10))
    top = 100 if high <= 100 else int(high) // 10 * 10 + 10
    chart = pygal.Line(
        js=[],
        style=STYLE,
        width=width,
        height=height,
        title=title,
        y_title=y_title,
        x_labels=list(x_labels),
        range=(floor, top),
        # Whole-number guides; value_formatter would give them two decimals too.
        y_labels=[{"label": str(v), "value": v} for v in range(floor, top + 1, 10)],
        show_legend=legend and len(series) > 0,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        truncate_legend=-1,
        truncate_label=-1,
        allow_interruptions=True,
        show_x_guides=False,
        show_y_guides=True,
        dots_size=3.5,
        stroke_style={"width": 2.2},
        print_values=show_values,
        print_values_position="top",
        value_formatter=lambda v: f"{v:.2f}",
        no_data_text="",
        disable_xml_declaration=True,
        margin=12,
        margin_right=48,  # room for the last quarter's label and value
        spacing=12,
    )
    chart.add_xml_filter(_without_scripts)
    for name, points in series:
        chart.add(name, [_value(v) for v in points])
    return mark_safe(chart.render())  # noqa: S308 - pygal escapes labels; no scripts remain


def bar_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    y_title: str = "",
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """A bar chart of counts (people per grade, say) as an ``<svg>`` element."""
    chart = pygal.Bar(
        js=[],
        style=STYLE,
        width=width,
        height=height,
        title=title,
        y_title=y_title,
        x_labels=list(x_labels),
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        show_x_guides=False,
        print_values=True,
        print_values_position="top",
        value_formatter=lambda v: f"{v:.0f}",
        min_scale=2,
        max_scale=6,
        no_data_text="",
        disable_xml_declaration=True,
        margin=12,
        spacing=12,
    )
    chart.add_xml_filter(_without_scripts)
    for name, values in series:
        chart.add(name, list(values))
    return mark_safe(chart.render())  # noqa: S308 - pygal escapes labels; no scripts remain
