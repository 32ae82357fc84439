"""The cooperatives a cooperative user may act for, as the booths feature provides them.

Accounts sits below booths (which owns the cooperatives' registry), so it cannot import booths;
booths registers its lookups here when it is imported (see booths/__init__.py). A lookup that was
never registered fails loudly.
"""

COOPERATIVE_LOOKUPS = {}


def register_cooperative_lookups(*, choices, by_id, by_registration_number):
    """choices() -> [(id, name)] in display order; by_id(id) and by_registration_number(text)
    -> the cooperative or None."""
    COOPERATIVE_LOOKUPS.update(
        choices=choices, by_id=by_id, by_registration_number=by_registration_number
    )


def cooperative_choices():
    return COOPERATIVE_LOOKUPS["choices"]()


def cooperative_by_id(cooperative_id):
    return COOPERATIVE_LOOKUPS["by_id"](cooperative_id)


def cooperative_by_registration_number(registration_number):
    return COOPERATIVE_LOOKUPS["by_registration_number"](registration_number)
