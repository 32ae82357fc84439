"""QR codes drawn by `qrcode`: SVG for pages and PDFs, PNG for downloads."""

import io

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def _qr(text):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text):
    """Inline SVG markup (safe to place in a template)."""
    image = _qr(text).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return Markup(svg[svg.index("<svg") :])


def qr_png(text, box_size=10):
    code = _qr(text)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_version(text):
    return _qr(text).version
