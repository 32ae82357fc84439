"""Reading pages in tests."""

import re


def hidden_inputs(html, *names):
    """The values of a page's hidden inputs (e.g. an import's kept upload and its nonce)."""
    return {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1) for name in names}


def table_rows(html, table_class):
    """The text of each body row's cells of the page's table with that class."""
    table = html.split(f'class="{table_class}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]
