"""The chart engine (efficiency/charts.py): numbers in, SVG out, no database."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils.safestring import SafeString

from efficiency import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def guide_y(root: ET.Element, label: str) -> float:
    """The y of the grid line whose axis label reads ``label``."""
    texts = [t for t in root.iter(f"{NS}text") if t.text == label and t.get("text-anchor") == "end"]
    assert len(texts) == 1, label
    lines = [
        float(line.get("y1"))
        for line in root.iter(f"{NS}line")
        if abs(float(line.get("y1")) - float(texts[0].get("y"))) < 10
    ]
    assert len(lines) == 1, label
    return lines[0]


def test_a_value_sits_where_the_axis_says():
    svg = charts.line_chart(
        title="最终得分",
        x_labels=["一", "二", "三"],
        series=[("张三", [Decimal("90.00"), Decimal("65.00"), Decimal("100.00")])],
    )
    root = parse(svg)
    # The axis runs 60–100 in tens.
    assert [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"] == [
        "60",
        "70",
        "80",
        "90",
        "100",
    ]
    dots = [float(c.get("cy")) for c in root.iter(f"{NS}circle")]
    assert dots[0] == guide_y(root, "90")
    assert dots[2] == guide_y(root, "100")
    # 65 is half way between the 60 and 70 lines.
    assert abs(dots[1] - (guide_y(root, "60") + guide_y(root, "70")) / 2) <= 0.1
    # And left to right in the order of the labels, each over its label.
    xs = [float(c.get("cx")) for c in root.iter(f"{NS}circle")]
    assert xs == sorted(xs)
    label_xs = [float(t.get("x")) for t in root.iter(f"{NS}text") if t.text in "一二三"]
    assert xs == label_xs


def test_the_axis_reaches_down_and_up_to_the_values():
    root = parse(
        charts.line_chart(
            title="", x_labels=["a", "b"], series=[("x", [Decimal("43.5"), Decimal("104")])]
        )
    )
    axis = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert axis[0] == "40" and axis[-1] == "110"


def test_a_gap_breaks_the_line():
    root = parse(
        charts.line_chart(
            title="",
            x_labels=["1", "2", "3", "4", "5"],
            series=[("x", [Decimal(80), Decimal(82), None, Decimal(85), Decimal(86)])],
            show_values=True,
        )
    )
    lines = list(root.iter(f"{NS}polyline"))
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    assert len(list(root.iter(f"{NS}circle"))) == 4
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "80.00" in texts and "86.00" in texts
    assert "—" in texts  # the quarter not assessed is marked, not drawn


def test_a_lone_point_between_gaps_is_still_drawn():
    root = parse(
        charts.line_chart(
            title="", x_labels=["1", "2", "3"], series=[("x", [None, Decimal(80), None])]
        )
    )
    assert not list(root.iter(f"{NS}polyline"))
    assert len(list(root.iter(f"{NS}circle"))) == 1


def test_chinese_text_is_escaped_and_named_for_screen_readers():
    svg = charts.line_chart(
        title="科室<得分>&",
        x_labels=["2026年第3季度<script>"],
        series=[("办公室</text>", [Decimal(90)])],
        y_title="最终得分",
    )
    assert isinstance(svg, SafeString)
    assert "<script" not in svg
    root = parse(svg)  # well-formed: the hostile names did not break the markup
    assert root.get("role") == "img"
    assert root.get("aria-label") == "科室<得分>&"
    assert root.find(f"{NS}title").text == "科室<得分>&"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "2026年第3季度<script>" in texts
    assert "办公室</text>" in texts
    assert "最终得分" in texts


def test_it_scales_and_needs_no_inline_style():
    for svg in (
        charts.line_chart(title="t", x_labels=["a"], series=[("s", [Decimal(90)])]),
        charts.bar_chart(title="t", x_labels=["a"], series=[("s", [3])]),
    ):
        root = parse(svg)
        assert root.get("viewBox").startswith("0 0 ")
        assert root.get("width") == "100%"
        assert root.get("height") is None
        assert not re.search(r"<script|<style| style=", svg)
        assert "Microsoft YaHei" in root.get("font-family")


def test_many_series_grow_the_picture_instead_of_the_legend_collapsing():
    def chart(count):
        return parse(
            charts.line_chart(
                title="各科室",
                x_labels=["Q1", "Q2"],
                series=[(f"第{n}科室", [Decimal(80), Decimal(81)]) for n in range(count)],
            )
        )

    few, many = chart(3), chart(30)
    few_height = float(few.get("viewBox").split()[3])
    many_height = float(many.get("viewBox").split()[3])
    assert few_height == 420
    assert many_height > few_height + 40  # two more rows of legend
    names = [t for t in many.iter(f"{NS}text") if (t.text or "").startswith("第")]
    assert len(names) == 30
    # Each name is placed (wrapped to new rows), none past the right edge.
    width = float(many.get("viewBox").split()[2])
    rows = {t.get("y") for t in names}
    assert len(rows) == 3
    assert all(float(t.get("x")) < width for t in names)
    # The plot keeps its height: the 60 and 100 lines are as far apart as with few series.
    assert guide_y(many, "60") - guide_y(many, "100") == guide_y(few, "60") - guide_y(few, "100")


def test_the_pdf_gets_the_same_drawing_in_its_fonts():
    svg = charts.line_chart(
        title="",
        x_labels=["2026年第2季度", "2026年第3季度"],
        series=[("", [Decimal("87.05"), Decimal("87.15")])],
        width=640,
        height=125,
        show_values=True,
        legend=False,
        font_family='"Noto Sans CJK SC"',
        font_size=10.5,
    )
    root = parse(svg)
    assert root.get("font-family") == '"Noto Sans CJK SC"'
    assert root.get("viewBox") == "0 0 640 125"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "87.05" in texts and "87.15" in texts
    assert not [t for t in root.iter(f"{NS}text") if t.get("class") == "title"]
    assert root.find(f"{NS}title") is None and root.get("aria-label") is None


def test_bars_are_as_tall_as_their_counts():
    root = parse(
        charts.bar_chart(
            title="年度等次分布",
            x_labels=["优秀", "称职", "基本称职"],
            series=[("人数", [4, 8, 0])],
        )
    )
    bars = [r for r in root.iter(f"{NS}rect") if r.get("fill") != "#ffffff"]
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert abs(heights[1] - 2 * heights[0]) <= 0.2 and heights[2] == 0
    # The top of the 8 bar is on the 8 line; each bar carries its count.
    assert float(bars[1].get("y")) == guide_y(root, "8")
    middle = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]
    assert middle == ["优秀", "称职", "基本称职", "4", "8", "0"]
