"""PDFs: HTML templates rendered by WeasyPrint with the Arabic-capable font shipped in static/."""

import io
from pathlib import Path

import pikepdf
from flask import current_app, make_response, render_template
from weasyprint import HTML

from core.downloads import content_disposition

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
BASE_URL = Path(__file__).resolve().parent.parent.as_uri() + "/"


def render_pdf(template, **context):
    """Render a template to PDF bytes; relative URLs resolve against static/."""
    html = render_template(template, font_dir=FONT_DIR.as_uri(), **context)
    base_url = Path(current_app.root_path).as_uri() + "/"
    return HTML(string=html, base_url=base_url).write_pdf()


def render_pdf_html(template, **context):
    """The HTML of a PDF (the part that reads the database); html_to_pdf() draws it later."""
    return render_template(template, font_dir=FONT_DIR.as_uri(), **context)


def html_to_pdf(html):
    return HTML(string=html, base_url=BASE_URL).write_pdf()


def join_pdfs(parts):
    """One PDF from several, pages in order (the chunks of a job rendered in parallel)."""
    joined = pikepdf.new()  # qpdf copies pages without re-parsing them: 4x faster than pypdf
    for part in parts:
        joined.pages.extend(pikepdf.open(io.BytesIO(part)).pages)
    buffer = io.BytesIO()
    joined.save(buffer)
    return buffer.getvalue()


def pdf_response(pdf_bytes, filename, inline=True):
    response = make_response(pdf_bytes)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
