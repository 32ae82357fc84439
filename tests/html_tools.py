"""Reading pages in tests."""

import re


def hidden_inputs(html, *names):
    """The values of a page's hidden inputs (e.g. an import's kept upload and its nonce)."""
    return {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1) for name in names}
