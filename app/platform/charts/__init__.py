"""Charts drawn on the server as SVG (through app.platform.svg): no JavaScript, no style attributes.

Each chart has a <title> and a <desc>, and comes with a data table for screen readers.
Meaning never rests on colour alone: series differ in dash and marker shape and are named in a
legend, bars carry their labels, heat cells grow with intensity as well as darken.

The callers pass text already translated; this package knows nothing about check-ins.
"""

from app.platform.charts.bars import Bar, bar_chart
from app.platform.charts.common import Chart, Table
from app.platform.charts.heat import heat_strip
from app.platform.charts.lines import Series, line_chart
from app.platform.charts.small import small_figure, sparkline
from app.platform.svg import SVG_NS

__all__ = [
    "SVG_NS",
    "Bar",
    "Chart",
    "Series",
    "Table",
    "bar_chart",
    "heat_strip",
    "line_chart",
    "sparkline",
    "small_figure",
]
