"""Tables that turn into stacked cards on phones (templates/_table.html's `data_table` macro).

The macro renders a table; `stack_cells` labels every body cell with its column's header
(data-label, shown by CSS as `::before` below 600 px) and gives every part its table role, because
`display: block` makes some browsers drop the table semantics that screen readers need
(the pattern documented by Adrian Roselli, "Tables, CSS Display Properties, and ARIA").
"""

import re
from html import escape
from html.parser import HTMLParser

from flask import g
from markupsafe import Markup

ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup"}
ROLES |= {"tr": "row", "td": "cell"}
SPACES = re.compile(r"\s+")


def next_table_id():
    """An id unique within the page, for the caption that names the table and its region."""
    g.souk_tables = getattr(g, "souk_tables", 0) + 1
    return f"table-{g.souk_tables}"


class _CellLabeller(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.headers = []  # the last header row's labels, one per column (colspan repeated)
        self.section = None  # thead, tbody or tfoot
        self.header_text = None  # text of the header cell being read
        self.header_span = 1
        self.row_labels = []
        self.column = 0
        self.wrapped = False  # a body cell's content is inside a .cell-value div

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        if tag == "br" and self.header_text is not None:
            self.header_text.append(" ")  # "3e édition<br>au 12 nov." labels as two words
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        if tag == "tr":
            self.column = 0
            if self.section == "thead":
                self.row_labels = []
        added = []
        role = self._role(tag, attrs)
        if role and "role" not in dict(attrs):
            added.append(f'role="{role}"')
        wrapper = None
        if tag in ("td", "th") and self.section != "thead":
            label = self._label(attrs)
            if label:
                added.append(f'data-label="{escape(label)}"')
            # One element for the value, so that a card's cell is a grid of label and value;
            # the cell keeps the page's direction (its label on the reading side) and a
            # left-to-right value keeps its own.
            direction = dict(attrs).get("dir")
            if direction:
                text = re.sub(r'\sdir="[^"]*"', "", text, count=1)
                wrapper = f'<div class="cell-value" dir="{escape(direction)}">'
            elif label:
                wrapper = '<div class="cell-value">'
        if tag == "th" and self.section == "thead":
            self.header_text = []
            self.header_span = int(dict(attrs).get("colspan") or 1)
        if added:
            text = f"{text[:-1].rstrip('/')} {' '.join(added)}>"
        self.out.append(text)
        if wrapper:
            self.out.append(wrapper)
            self.wrapped = True

    def _role(self, tag, attrs):
        if tag == "th":
            if self.section == "thead" or dict(attrs).get("scope") == "col":
                return "columnheader"
            return "rowheader"
        return ROLES.get(tag)

    def _label(self, attrs):
        index = self.column
        self.column += int(dict(attrs).get("colspan") or 1)
        if dict(attrs).get("colspan") or index >= len(self.headers):
            return ""
        return self.headers[index]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.wrapped:
            self.out.append("</div>")
            self.wrapped = False
        if tag == "th" and self.header_text is not None:
            label = SPACES.sub(" ", "".join(self.header_text)).strip()
            self.row_labels.extend([label] * self.header_span)
            self.header_text = None
        if tag == "tr" and self.section == "thead":
            self.headers = self.row_labels
        if tag in ("thead", "tbody", "tfoot"):
            self.section = None
        self.out.append(f"</{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.header_text is not None:
            self.header_text.append(data)
        self.out.append(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def _text(self, reference):
        if self.header_text is not None:
            self.header_text.append(Markup(reference).unescape())
        self.out.append(reference)

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def stack_cells(html):
    """The table's HTML with every body cell labelled by its column header and table roles."""
    parser = _CellLabeller()
    parser.feed(str(html))
    parser.close()
    return Markup("".join(parser.out))
