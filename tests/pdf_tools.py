"""Reading PDFs back in tests: their text (pypdf) and the QR codes on their pages (zxing-cpp)."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


def pdf_text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_count(pdf_bytes):
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def pdf_qr_codes(pdf_bytes, scale=3):
    """Every QR code found on every page, in page order, decoded by a real decoder."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    texts = []
    try:
        for page in document:
            image = page.render(scale=scale).to_pil()
            # QR codes only, each place once: a sheet of 60 badges once read as 61 codes on CI
            # (a line of text taken for a one-dimensional barcode, or a code found twice).
            places = set()
            for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                corner = result.position.top_left
                place = (result.text, round(corner.x / 20), round(corner.y / 20))
                if result.valid and place not in places:
                    places.add(place)
                    texts.append(result.text)
    finally:
        document.close()
    return texts


def pdf_barcodes(pdf_bytes, scale=4):
    """Every barcode (any symbology) on every page, as (format name, text), by zxing-cpp."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    found = []
    try:
        for page in document:
            image = page.render(scale=scale).to_pil()
            for result in zxingcpp.read_barcodes(image):
                if result.valid:
                    found.append((result.format.name, result.text))
    finally:
        document.close()
    return found
