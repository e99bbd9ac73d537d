"""Small server-side SVG charts: horizontal bar charts, laid out here, drawn by the Jinja macro in
``templates/research/_chart.html``.

No JavaScript and no ``style`` attributes (the CSP forbids both): shapes carry SVG presentation
attributes (``fill``) and classes that ``_new_insights.css`` styles. Colours are chosen for contrast
against the white page: bars at least 3:1, text at least 4.5:1 (``tests/test_insights.py`` checks).
Every chart comes with the same numbers as a table, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Text: the page's ink colour, 15.3:1 on white.
TEXT_FILL = "#1d2630"
# Bars, one colour per series: #0d6259 (7.2:1 on white), #c2631d (4.1:1 on white); they differ in
# hue and lightness, and each bar also carries its number, so colour is never the only cue.
SERIES_FILLS = ("#0d6259", "#c2631d")
BACKGROUND = "#ffffff"

WIDTH = 640
LABEL_WIDTH = 200  # room for category names, right-aligned against the axis
VALUE_WIDTH = 60  # room for the number after the longest bar
BAR_HEIGHT = 18
BAR_GAP = 3  # between bars of one category
GROUP_GAP = 14  # between categories
LEGEND_HEIGHT = 30
TOP = 8
BOTTOM = 8
LABEL_CHARS = 28  # longer names are shortened in the chart (the table has them in full)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    css: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = "chart-label"
    full_text: str = ""  # set when ``text`` was shortened
    fill: str = TEXT_FILL


@dataclass
class Chart:
    """Everything the macro needs: the SVG's shapes and the table with the same numbers."""

    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    axis: Bar | None = None
    legend: list[tuple[Bar, Label]] = field(default_factory=list)
    category_header: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[int | str]]] = field(default_factory=list)

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    category_header: str,
    categories: Sequence[str],
    series: Sequence[Series],
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> Chart:
    """A horizontal bar chart: one group of bars per category, one bar per series.

    ``extra_columns`` adds columns to the table only (a percentage, say).
    """
    if not series or len(series) > len(SERIES_FILLS):
        raise ValueError(f"a bar chart has 1 to {len(SERIES_FILLS)} series")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError("every series needs one value per category")
    legend_height = LEGEND_HEIGHT if len(series) > 1 else 0
    group_height = len(series) * BAR_HEIGHT + (len(series) - 1) * BAR_GAP
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = TOP + legend_height
    height = top + len(categories) * (group_height + GROUP_GAP) - GROUP_GAP + BOTTOM
    height = max(height, top + BAR_HEIGHT + BOTTOM)
    largest = max((value for one in series for value in one.values), default=0) or 1

    chart = Chart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=height,
        category_header=category_header,
        columns=[one.name for one in series] + [header for header, _values in extra_columns],
    )
    for number, one in enumerate(series if legend_height else ()):
        x = number * 180
        swatch = Bar(
            x, TOP + 2, 14, 14, SERIES_FILLS[number], f"chart-swatch chart-series-{number}"
        )
        chart.legend.append((swatch, Label(x + 20, TOP + 14, one.name, css="chart-legend")))
    for index, category in enumerate(categories):
        group_top = top + index * (group_height + GROUP_GAP)
        short = shorten(category)
        chart.labels.append(
            Label(
                LABEL_WIDTH - 8,
                group_top + group_height / 2 + 5,
                short,
                anchor="end",
                full_text=category if short != category else "",
            )
        )
        for number, one in enumerate(series):
            value = one.values[index]
            y = group_top + number * (BAR_HEIGHT + BAR_GAP)
            width = round(plot_width * value / largest, 1)
            chart.bars.append(
                Bar(
                    LABEL_WIDTH,
                    y,
                    width,
                    BAR_HEIGHT,
                    SERIES_FILLS[number],
                    f"chart-bar chart-series-{number}",
                )
            )
            chart.labels.append(
                Label(LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 4, str(value), css="chart-value")
            )
        extras = [values[index] for _header, values in extra_columns]
        chart.rows.append((category, [one.values[index] for one in series] + extras))
    chart.axis = Bar(
        LABEL_WIDTH - 1, top - 4, 1, height - top - BOTTOM + 8, TEXT_FILL, "chart-axis"
    )
    return chart
