"""Exhibitor badges: PDFs read back (text and QR codes), signatures, revoke and reissue."""

import pytest

from booths import services
from booths.models import Badge
from core.errors import RuleBroken
from core.extensions import db
from markets import tokens
from markets.tokens import TokenInvalid, b64url, unb64url
from tests.pdf_tools import pdf_page_count, pdf_qr_codes, pdf_text


@pytest.fixture
def badges(app, future_edition, organiser, make_plan, make_application, make_cooperative):
    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=6, food_share=1.0)
    first = make_cooperative(name_ar="تعاونية النحلة للعسل", name_latin="Coopérative Annahla")
    second = make_cooperative(name_ar="تعاونية الزيتونة", name_latin="Coopérative Azzaytouna")
    make_application(first, site, people=2)
    application = make_application(second, site, people=1)
    application.representatives = [{"name": "فاطمة الزهراء العلوي", "phone": "0612345678"}]
    db.session.commit()
    services.allocate_stalls(site, organiser)
    db.session.commit()
    return services.site_badges(site)


def test_badge_pdf_shows_names_in_arabic_and_latin_and_signed_codes(app, badges):
    with app.test_request_context():
        pdf = services.badges_pdf(badges)
    assert pdf_page_count(pdf) == 3  # one A6 page per person
    text = pdf_text(pdf)
    assert "Contact" in text and "Coopérative Annahla" in text
    assert "فاطمة" in text or "ةمطاف" in text  # shaped Arabic (extraction may reverse it)
    assert "النحلة" in text or "ةلحنلا" in text
    assert all(badge.stall.code in text for badge in badges)
    codes = pdf_qr_codes(pdf)
    assert sorted(codes) == sorted(badge.code for badge in badges)
    for badge, code in zip(sorted(badges, key=lambda b: b.code), sorted(codes), strict=True):
        token = tokens.verify_token(code)
        assert token.kind == "E" and token.token_id == badge.token_id


def test_print_sheet_puts_four_badges_per_a4_page(app, badges, make_application):
    more = badges * 2  # 6 badges → 2 sheets
    with app.test_request_context():
        pdf = services.badges_pdf(more, layout="sheet")
    assert pdf_page_count(pdf) == 2
    assert len(pdf_qr_codes(pdf)) == 6


def test_a_tampered_or_foreign_code_fails_verification(app, badges):
    code = badges[0].code
    raw = bytearray(unb64url(code[4:]))
    raw[8] ^= 0x01  # change one bit of the token id
    with pytest.raises(TokenInvalid):
        tokens.verify_token("SK1." + b64url(bytes(raw)))
    raw = bytearray(unb64url(code[4:]))
    raw[-1] ^= 0x80  # damage the signature
    with pytest.raises(TokenInvalid):
        tokens.verify_token("SK1." + b64url(bytes(raw)))
    with pytest.raises(TokenInvalid):
        tokens.verify_token(code[:-3])
    # The public key alone verifies a good code (what a phone does offline).
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = tokens.public_keys(badges[0].edition)[0]
    raw = unb64url(code[4:])
    Ed25519PublicKey.from_public_bytes(unb64url(key["public_key"])).verify(raw[15:], raw[:15])


def test_revoke_and_reissue(app, badges, organiser):
    badge = badges[0]
    replacement = services.reissue_badge(badge, organiser, person_name="Nouveau Nom")
    db.session.commit()
    assert badge.revoked and tokens.is_revoked(badge.token_id)
    assert badge.token_id in tokens.revoked_token_ids(badge.edition)
    assert replacement.replaces_id == badge.id and replacement.code != badge.code
    assert replacement.person_name == "Nouveau Nom" and replacement.stall_id == badge.stall_id
    assert not tokens.is_revoked(replacement.token_id)
    with pytest.raises(RuleBroken):
        services.revoke_badge(badge, organiser)
    services.revoke_badge(replacement, organiser)
    assert tokens.is_revoked(replacement.token_id)
    remaining = services.site_badges(badge.site)
    assert badge not in remaining and replacement not in remaining


def test_reissuing_needs_an_approved_application(app, badges, organiser):
    badge = badges[0]
    services.decide_application(badge.application, "rejected", "Absent", organiser)
    with pytest.raises(RuleBroken):
        services.reissue_badge(badge, organiser)


def test_no_empty_pdf(app):
    with app.test_request_context(), pytest.raises(RuleBroken):
        services.badges_pdf([])


def test_badge_codes_fit_a_small_qr_code(app, badges):
    from core.qr import qr_version

    assert all(qr_version(badge.code) <= 7 for badge in badges)
    assert db.session.query(Badge).count() == 3
