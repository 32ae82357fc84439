"""One share() for every ratio: None when there is no whole, rounded to 4 decimals unless asked."""

import pytest

from core.numbers import share


@pytest.mark.parametrize(
    ("part", "whole", "digits", "expected"),
    [
        (1, 3, 4, 0.3333),
        (2, 3, 4, 0.6667),
        (1, 3, None, 1 / 3),
        (1, 3, 2, 0.33),
        (0, 5, 4, 0.0),
        (5, 5, 4, 1.0),
        (7, 0, 4, None),
        (7, None, 4, None),
        (None, 5, 4, None),
        (None, 0, None, None),
    ],
)
def test_share(part, whole, digits, expected):
    assert share(part, whole, digits) == expected


def test_share_rounds_to_four_decimals_by_default():
    assert share(1, 7) == 0.1429
