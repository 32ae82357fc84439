"""`next=` after sign-in only ever leads to a page of this site."""

import pytest

from core.views import is_safe_redirect


@pytest.mark.parametrize(
    "target",
    ["/", "/home", "/editions/fes-meknes-2022?lang=ar", "/a/b#c", "/editions/x%2F%2Fy"],
)
def test_local_paths_are_safe(target):
    assert is_safe_redirect(target) is True


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\x7f/evil.example",
        "///evil.example",
    ],
)
def test_other_sites_and_tricks_are_refused(target):
    assert is_safe_redirect(target) is False
