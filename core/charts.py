"""Small SVG charts drawn on the server (no JavaScript), readable right-to-left.

Each chart comes with its numbers; templates also show them in a table for screen readers.
"""

from markupsafe import Markup, escape

PALETTE = ["#1b7f5c", "#d98e04", "#2f6db5", "#b5473a", "#7a4fa3", "#4f8f2f", "#a36b2b", "#3a8fa3"]


def bar_chart(items, width=600, bar_height=22, rtl=False, value_label=str, title=""):
    """Horizontal bars for [(label, value)] pairs."""
    items = list(items)
    if not items:
        return Markup("")
    largest = max((value for _, value in items), default=0) or 1
    label_width = 180
    room = width - label_width - 90
    height = bar_height * len(items) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" direction="{"rtl" if rtl else "ltr"}">'
    ]
    for index, (label, value) in enumerate(items):
        y = 5 + index * bar_height
        length = max(1, round(room * value / largest)) if value else 0
        colour = PALETTE[index % len(PALETTE)]
        if rtl:
            label_x, bar_x, value_x, anchor = (
                width - 5,
                width - label_width - length,
                width - label_width - length - 5,
                "start",
            )
        else:
            label_x, bar_x, value_x, anchor = 5, label_width, label_width + length + 5, "start"
        parts.append(
            f'<text x="{label_x}" y="{y + bar_height * 0.7}" font-size="13" text-anchor="{anchor}">'
            f"{escape(label)}</text>"
            f'<rect x="{bar_x}" y="{y + 3}" width="{length}" height="{bar_height - 6}" fill="{colour}"/>'
            # "start" in both directions: with direction="rtl" (inherited) the start is the
            # right edge, so the value sits left of its bar instead of over it.
            f'<text x="{value_x}" y="{y + bar_height * 0.7}" font-size="12" text-anchor="start">'
            f"{escape(value_label(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items, width=600, height=180, rtl=False, title=""):
    """Vertical columns for [(label, value)] pairs, e.g. visitors per hour."""
    items = list(items)
    if not items:
        return Markup("")
    if rtl:
        items = items[::-1]
    largest = max((value for _, value in items), default=0) or 1
    slot = width / len(items)
    plot = height - 30
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, value) in enumerate(items):
        column = round(plot * value / largest)
        x = index * slot
        parts.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{plot - column + 5}" width="{slot * 0.8:.1f}" '
            f'height="{column}" fill="{PALETTE[0]}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{height - 8}" font-size="10" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
