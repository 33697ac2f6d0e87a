"""Server-side charts as SVG strings made with pygal: one style and one way to render, shared by every page
and PDF that draws a chart (the finance charts, the dashboard).

* No JavaScript: pygal's ``<script>`` is removed before the tree is serialised, so a chart prints the same in
  a browser, in WeasyPrint and on paper.
* The markup is produced by ElementTree, so every label is escaped; the result is marked safe for templates.
* Money is never summed across currencies: ``per_currency`` makes one series per currency.
"""

from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from pygal.etree import etree
from pygal.style import Style

PRINT_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#5b6573",
    font_family="'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=11,
    opacity="0.9",
    opacity_hover="0.9",
    stroke_width="2.5",
    stroke_width_hover="2.5",
    guide_stroke_color="#dfe4ea",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_color="#c9d0da",
    major_guide_stroke_dasharray="1,0",
    transition="none",
    # Distinct in colour and in grey when printed.
    colors=("#1d5fa8", "#d9822b", "#2f8f5b", "#8e44ad", "#c0392b", "#5b6573", "#1f9fb0", "#a0522d"),
)


def config(**overrides) -> dict:
    return {
        "style": PRINT_STYLE, "js": [], "disable_xml_declaration": True, "width": 760, "height": 360,
        "legend_at_bottom": True, "legend_at_bottom_columns": 4, "truncate_legend": -1, "truncate_label": -1,
        "no_data_text": "No data yet", "print_values": False, "show_minor_x_labels": True, "margin": 16,
        "min_scale": 4, "max_scale": 8,
        **overrides,
    }


def render(chart) -> SafeString:
    """The chart as SVG markup without any script."""
    tree = chart.render_tree()
    for parent in tree.iter():
        # pygal names legend entries "activate-serie-N" for its script; with the script gone they only
        # clash between the charts of one page (and make WeasyPrint warn), so they go too.
        if str(parent.get("id", "")).startswith("activate-serie"):
            del parent.attrib["id"]
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    svg = etree.tostring(tree, encoding="unicode")
    return mark_safe(svg)  # noqa: S308 — built by ElementTree, every text node escaped


def money_format(value) -> str:
    return f"{value:,.0f}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def per_currency(rows: list[tuple[str, object]]) -> dict[str, list[float | None]]:
    """{currency: [amount per row, None where the row has nothing in that currency]}: each row a label and
    a money value with ``amounts`` by currency (``finance.money.Money``)."""
    currencies = sorted({currency for _, money in rows for currency, amount in money.amounts.items() if amount})
    return {cur: [_number(money.amounts.get(cur)) if money.amounts.get(cur) else None for _, money in rows]
            for cur in currencies}
