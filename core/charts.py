"""Small charts drawn on the server (no JavaScript), readable right-to-left.

Pages draw bars in HTML (`bar_list`, `target_list`): their labels keep the page's font size and
wrap on a phone, where an SVG scaled to the screen shrank them to 6 px. PDFs keep the SVG bars
(`bar_chart`, `target_chart`), laid out for a sheet of paper. Each chart comes with its numbers;
templates also show them in a table for screen readers.
"""

from markupsafe import Markup, escape

from core.bidi import bdi

PALETTE = ["#1b7f5c", "#d98e04", "#2f6db5", "#b5473a", "#7a4fa3", "#4f8f2f", "#a36b2b", "#3a8fa3"]
AXIS = "#5b6660"
LABEL_CHARACTERS = 26  # what fits in a bar chart's label column at 13 px


def accessible_name(title, items, value_label=str):
    """The chart's text alternative: its title and its first figures (the table has them all)."""
    figures = "; ".join(f"{label}: {value_label(value)}" for label, value in items[:12])
    return f"{title}. {figures}" if title else figures


def fitted(label, characters=LABEL_CHARACTERS):
    """A label cut to what fits beside the bars, so that it never runs under them."""
    label = str(label)
    return label if len(label) <= characters else label[: characters - 1].rstrip() + "…"


def bar_row(label, value_text, share, target_at=None, short=False):
    """One row of an HTML bar list: the label, the value, and a bar `share` (0–1) of its track,
    growing from the side the page reads from (CSS inline-size, so no mirroring here); a bar
    `short` of its target is drawn in amber."""
    marker = (
        f'<span class="bar-target" style="inset-inline-start: {target_at * 100:.1f}%"></span>'
        if target_at is not None
        else ""
    )
    return (
        f'<li><span class="bar-label">{bdi(label)}</span>'
        f'<span class="bar-value">{bdi(value_text)}</span>'
        f'<span class="bar-track" aria-hidden="true">'
        f'<span class="bar{" short" if short else ""}" style="inline-size: {min(share, 1) * 100:.1f}%">'
        f"</span>{marker}</span></li>"
    )


def bar_list(items, value_label=str, title=""):
    """Horizontal bars for [(label, value)] pairs, as an HTML list named by `title`."""
    items = list(items)
    if not items:
        return Markup("")
    largest = max(value for _, value in items) or 1
    rows = "".join(bar_row(label, value_label(value), value / largest) for label, value in items)
    return Markup(f'<ul class="bar-list" aria-label="{escape(title)}">{rows}</ul>')


TARGET_ROOM = 1.3  # a bar may pass its target by 30 % before it is cut


def target_list(items, value_label=str, title=""):
    """Bars for [(label, value, target)], each against its own target (a marked line):
    "value / target (share)" beside it, as `target_chart` draws them in PDFs."""
    items = list(items)
    if not items:
        return Markup("")
    rows = []
    for label, value, target in items:
        share = value / target if target else 0
        text = f"{value_label(value)} / {value_label(target)} ({round(share * 100)} %)"
        rows.append(
            bar_row(label, text, share / TARGET_ROOM, target_at=1 / TARGET_ROOM, short=share < 1)
        )
    return Markup(f'<ul class="bar-list targets" aria-label="{escape(title)}">{"".join(rows)}</ul>')


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
        f'<svg class="chart" role="img" aria-label="{escape(accessible_name(title, items, value_label))}" '
        f'viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" direction="{"rtl" if rtl else "ltr"}">'
    ]
    axis_x = width - label_width if rtl else label_width
    parts.append(
        f'<line x1="{axis_x}" y1="3" x2="{axis_x}" y2="{height - 3}" stroke="{AXIS}" stroke-width="1"/>'
    )
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
            f"<title>{escape(label)}</title>{escape(fitted(label))}</text>"
            f'<rect x="{bar_x}" y="{y + 3}" width="{length}" height="{bar_height - 6}" fill="{colour}"/>'
            # "start" in both directions: with direction="rtl" (inherited) the start is the
            # right edge, so the value sits left of its bar instead of over it.
            f'<text x="{value_x}" y="{y + bar_height * 0.7}" font-size="12" text-anchor="start">'
            f"{escape(value_label(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items, width=600, height=180, rtl=False, title="", value_label=str):
    """Vertical columns for [(label, value)] pairs, e.g. visitors per hour: a value axis with its
    largest value, each column's value above it when there is room, and as many labels under the
    axis as fit without touching (every second, third... when the columns are narrow)."""
    items = list(items)
    if not items:
        return Markup("")
    name = accessible_name(title, items, value_label)
    if rtl:
        items = items[::-1]
    largest = max((value for _, value in items), default=0) or 1
    axis = max(34, len(value_label(largest)) * 7 + 8)  # room for the value axis on the left
    slot = (width - axis) / len(items)
    top = 16  # room for the values above the highest column
    plot = height - 30 - top
    label_room = max(len(str(label)) for label, _ in items) * 7.5 + 8
    label_step = max(1, -(-label_room // slot))
    show_values = slot >= max(len(value_label(value)) for _, value in items) * 6.5 + 4
    parts = [
        # The box scrolls sideways on a phone rather than shrink the labels (.chart-scroll).
        '<div class="chart-scroll" tabindex="0">'
        f'<svg class="chart" role="img" aria-label="{escape(name)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{axis}" y1="{top}" x2="{axis}" y2="{top + plot}" stroke="{AXIS}"/>'
        f'<line x1="{axis}" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="{AXIS}"/>'
        f'<line x1="{axis - 3}" y1="{top}" x2="{width}" y2="{top}" stroke="#d9e0dc" stroke-dasharray="3 3"/>'
        f'<text x="{axis - 4}" y="{top + 4}" font-size="11" text-anchor="end" direction="ltr">'
        f"{escape(value_label(largest))}</text>"
        f'<text x="{axis - 4}" y="{top + plot}" font-size="11" text-anchor="end">0</text>',
    ]
    for index, (label, value) in enumerate(items):
        column = round(plot * value / largest)
        x = axis + index * slot
        parts.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{top + plot - column}" width="{slot * 0.8:.1f}" '
            f'height="{column}" fill="{PALETTE[0]}"><title>{escape(label)}: {escape(value_label(value))}</title></rect>'
        )
        if show_values and value:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{top + plot - column - 3}" font-size="10" '
                f'text-anchor="middle">{escape(value_label(value))}</text>'
            )
        if index % label_step == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg></div>")
    return Markup("".join(parts))


def target_chart(items, width=600, bar_height=26, rtl=False, value_label=str, title=""):
    """Horizontal bars for [(label, value, target)], each scaled to its own target: a marked
    line at 100 % of the target, the bar up to 130 % at most, "value / target (share)" beside it."""
    items = list(items)
    if not items:
        return Markup("")
    name = accessible_name(
        title,
        [
            (label, f"{value_label(value)} / {value_label(target)}")
            for label, value, target in items
        ],
    )
    label_width, text_room = 170, 150
    room = width - label_width - text_room
    full = room / TARGET_ROOM  # the target's length
    height = bar_height * len(items) + 22
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(name)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" direction="{"rtl" if rtl else "ltr"}">'
    ]

    def x(position):  # position in px from the bars' start, mirrored when right to left
        return width - label_width - position if rtl else label_width + position

    for index, (label, value, target) in enumerate(items):
        y = 5 + index * bar_height
        share = value / target if target else 0
        length = round(min(share, TARGET_ROOM) * full)
        start, end = sorted((x(0), x(length)))
        colour = PALETTE[0] if share >= 1 else PALETTE[1]
        # "start" in both directions: with direction="rtl" the start is the right edge.
        label_x, anchor = (width - 5 if rtl else 5), "start"
        text_x, text_anchor = x(room), "start"
        parts.append(
            f'<text x="{label_x}" y="{y + bar_height * 0.65}" font-size="13" text-anchor="{anchor}">'
            f"<title>{escape(label)}</title>{escape(fitted(label, 22))}</text>"
            f'<rect x="{start}" y="{y + 4}" width="{end - start}" height="{bar_height - 8}" fill="{colour}"/>'
            f'<text x="{text_x}" y="{y + bar_height * 0.65}" font-size="12" text-anchor="{text_anchor}">'
            f"{escape(value_label(value))} / {escape(value_label(target))} ({round(share * 100)} %)</text>"
        )
    marker = x(full)
    parts.append(
        f'<line x1="{marker}" y1="2" x2="{marker}" y2="{height - 16}" stroke="{AXIS}" stroke-width="1.5" '
        f'stroke-dasharray="4 3"/><text x="{marker}" y="{height - 4}" font-size="11" '
        f'text-anchor="middle">100 %</text>'
        f'<line x1="{x(0)}" y1="2" x2="{x(0)}" y2="{height - 16}" stroke="{AXIS}"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
