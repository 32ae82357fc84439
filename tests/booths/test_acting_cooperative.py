"""Who an application is made for: one rule for the page and the API."""

import pytest

from booths.services import acting_cooperative
from core.errors import Forbidden


def test_organiser_names_the_cooperative(make_user, make_cooperative):
    cooperative = make_cooperative()
    assert acting_cooperative(make_user("organiser"), cooperative.id) == cooperative
    with pytest.raises(Forbidden) as missing:
        acting_cooperative(make_user("organiser"), None)
    assert missing.value.code == "cooperative_required"


def test_cooperative_acts_only_for_itself(make_user, make_cooperative):
    own, other = make_cooperative(), make_cooperative()
    user = make_user("cooperative", cooperative=own)
    assert acting_cooperative(user, None) == own
    assert acting_cooperative(user, own.id) == own
    with pytest.raises(Forbidden):
        acting_cooperative(user, other.id)
    with pytest.raises(Forbidden):
        acting_cooperative(make_user("volunteer"), own.id)
