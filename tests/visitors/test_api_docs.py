"""docs/API.md describes what the field endpoints really answer: every key of a device's field
session, of a heartbeat and of a scan result's added fields, and every rejection code."""

import re
from pathlib import Path

from accounts.devices import create_device, provision_device
from core.extensions import db
from visitors.services.scanning import REJECTION_MESSAGES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "API.md"


def section(title):
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    following = re.search(r"^## ", text[start + 3 :], re.M)
    return text[start : start + 3 + following.start()] if following else text[start:]


def keys(value):
    """Every key of a JSON answer, at any depth."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys(item)}
    return set()


def test_the_field_session_and_heartbeat_are_described_key_by_key(client, edition, make_user):
    organiser = make_user("organiser")
    device, link = create_device(
        edition,
        {"name": "Phone 9", "site": edition.site("meknes"), "gate": "gate-north"},
        organiser,
    )
    _device, token, _expires = provision_device(link)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    session = client.get("/api/v1/field/session", headers=headers).get_json()
    described = section("Field devices")
    names_and_labels = {"ar", "fr", "en", "es", "zgh"}  # language keys of `names`
    missing = {key for key in keys(session) - names_and_labels if f'"{key}"' not in described}
    assert missing == set()
    beat = {"app_version": "v", "queue_size": 0, "oldest_unsent_at": None}
    answer = client.post("/api/v1/field/heartbeat", json=beat, headers=headers).get_json()
    assert all(f'"{key}"' in described for key in [*beat, *answer])


def test_every_added_field_of_a_scan_result_and_every_rejection_code_is_described():
    described = section("Field devices")
    for code in [*REJECTION_MESSAGES, "after_device_revoked"]:
        assert f"`{code}`" in described, code
    for field in ("error", "exhibitor", "first_entry_at"):
        assert f"`{field}`" in described, field
    for key in ("cooperative", "cooperative_names", "stall", "site", "site_names"):
        assert f'"{key}"' in described, key
