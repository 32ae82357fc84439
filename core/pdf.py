"""PDFs: HTML templates rendered by WeasyPrint with the Arabic-capable font shipped in static/."""

from pathlib import Path

from flask import current_app, make_response, render_template
from weasyprint import HTML

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"


def render_pdf(template, **context):
    """Render a template to PDF bytes; relative URLs resolve against static/."""
    html = render_template(template, font_dir=FONT_DIR.as_uri(), **context)
    base_url = Path(current_app.root_path).as_uri() + "/"
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(pdf_bytes, filename, inline=True):
    response = make_response(pdf_bytes)
    response.headers["Content-Type"] = "application/pdf"
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
