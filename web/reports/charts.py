"""Charts drawn on the server as SVG with pygal, for the report pages. Each chart is
shown with its data table beneath (the GOV.UK pattern for screen readers), so the SVG
is an image labelled by its title; no script is embedded or loaded."""

import re

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

# GOV.UK colours: blue, green, purple, orange, turquoise, pink, brown, dark grey.
GOVUK = Style(background="white", plot_background="white", foreground="#0b0c0c", foreground_strong="#0b0c0c",
              foreground_subtle="#505a5f", font_family="Arial, sans-serif", label_font_size=14,
              major_label_font_size=14, legend_font_size=14, title_font_size=16, value_font_size=12,
              colors=("#1d70b8", "#00703c", "#4c2c92", "#f47738", "#28a197", "#d53880", "#b58840", "#505a5f"))


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _svg(chart, title: str) -> str:
    """The chart's SVG, labelled, without pygal's configuration script (nothing here is
    interactive: the page works without JavaScript and the table carries the data)."""
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" focusable="false" ', 1))


def _config(title: str, **extra):
    return dict(title=title, style=GOVUK, js=[], disable_xml_declaration=True, width=760, height=380,
                print_values=False, show_legend=True, legend_at_bottom=True, explicit_size=False, **extra)


def bar_chart(title: str, labels: list[str], series: dict[str, list], stacked: bool = False) -> str:
    """Bars per label, one colour per series (stacked when several make one total)."""
    chart = (pygal.StackedBar if stacked else pygal.Bar)(**_config(title, x_label_rotation=0))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _svg(chart, title)


def line_chart(title: str, labels: list[str], series: dict[str, list]) -> str:
    chart = pygal.Line(**_config(title, range=(0, 100)))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _svg(chart, title)
