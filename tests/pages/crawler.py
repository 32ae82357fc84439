"""Crawl the pages a role reaches from the menus, in a real browser, and judge each one.

Used by tests/pages/test_crawl.py and, by hand, `python -m tests.pages.crawler BASE_URL` against
a server with the demo loaded. A page is judged on three things people notice on a phone:
horizontal overflow, axe-core violations of impact serious or critical, and visible internal codes.
"""

import hashlib
import re
import sys
import time
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# Links that are not pages to judge: files, feeds, field API, actions, the scanner's own app.
# Duplicates of a page already judged: another page of the same list, the sign-in page again on
# its way to a page the role may not open (the public crawl judges /login).
SKIPPED = re.compile(
    r"(\.(pdf|csv|zip|png|svg|ics|json|js|css)(\?|$))|/api/|/logout|/static/|[?&]lang=|"
    r"[?&](format|download|page|next)="
)
# One page per shape of URL is enough: ids and codes in a path make the same page.
NUMBER = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[\w-]{40,})(?=/|$|\.)")
SLUG_PLACES = re.compile(r"/(editions|sites|cooperatives|r|tickets|receipts)/(?!new\b)[^/]+")


def page_shape(url):
    parsed = urlparse(url)
    path = SLUG_PLACES.sub(lambda match: f"/{match.group(1)}/S", NUMBER.sub("/N", parsed.path))
    # ?lang= only chooses the language of the start page: "/?lang=ar" is "/".
    keys = {part.split("=")[0] for part in parsed.query.split("&") if part} - {"lang"}
    query = "&".join(sorted(keys))
    return f"{path}?{query}"


def links_of(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urldefrag(urljoin(page.url, href))[0]
        if url.startswith(base) and not SKIPPED.search(url):
            found.append(url)
    return found


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if ((r.right > width + 1 || r.left < -1) && r.width > 0 && !el.closest('[data-scrolls]')) {
      const inScroller = (() => { let p = el.parentElement; while (p) { const s = getComputedStyle(p);
        if (['auto','scroll','hidden'].includes(s.overflowX) && p !== document.body) return true; p = p.parentElement; } return false; })();
      if (!inScroller) culprits.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ' ' + Math.round(r.width));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5)};
}"""


def overflow_of(page):
    result = page.evaluate(OVERFLOW_JS)
    if result["scroll"] > result["width"] + 1:
        return result
    return None


# axe-core's time grows with the page (4-5 s for a 180-row table on the loaded machine); a list's
# rows repeat one template's markup, so axe judges the first ROWS_JUDGED of each. Overflow and
# codes, which depend on the data, are judged on the whole page before.
ROWS_JUDGED = 25
TRIM_ROWS_JS = """rows => document.querySelectorAll('tbody, ul, ol').forEach(list =>
  Array.from(list.children).slice(rows).forEach(row => row.remove()))"""


# The markup of a page's main part (tags, classes, attribute names; no text): another role's
# visit of a page with the same markup (the calendar, the stock list for the organiser and the
# cashier) is not judged by axe-core again. The menus differ per role and are judged on each
# role's first page; overflow and codes, which depend on the text, are judged on every page.
MARKUP_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const parts = [document.documentElement.lang, window.innerWidth];
  for (const el of main.querySelectorAll('*')) {
    parts.push(el.tagName + '.' + el.getAttribute('class') + '[' +
      Array.from(el.attributes).map(a => a.name).sort().join(',') + ']');
  }
  return parts.join('|');
}"""


DUPLICATE_IDS = """() => {
  const count = {};
  for (const element of document.querySelectorAll("[id]")) {
    if (element.type === "hidden") continue;  // Flask-WTF's csrf_token in each form: no label
    count[element.id] = (count[element.id] || 0) + 1;
  }
  return Object.keys(count).filter((id) => count[id] > 1).sort();
}"""


def duplicate_ids(page):
    """Ids used twice: a label then names the wrong field (two forms with a "reason")."""
    return page.evaluate(DUPLICATE_IDS)


def markup_of(page):
    return hashlib.sha256(page.evaluate(MARKUP_JS).encode()).hexdigest()


def axe_violations(page, judged=None):
    """Serious and critical violations; [] for markup already in `judged` (a set kept across
    the roles' crawls)."""
    page.evaluate(TRIM_ROWS_JS, ROWS_JUDGED)
    if judged is not None:
        markup = markup_of(page)
        if markup in judged:
            return []
        judged.add(markup)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return results


VISIBLE_TEXT_JS = """() => {
  const main = (document.querySelector('main') || document.body).cloneNode(true);
  main.querySelectorAll('code, kbd, samp, input, textarea, [data-codes-allowed]').forEach(el => el.remove());
  // Text in another language than the page's (a product's English name) is data, not a code.
  const language = document.documentElement.lang;
  main.querySelectorAll('[lang]').forEach(el => { if (el.lang !== language) el.remove(); });
  document.body.appendChild(main); main.hidden = false;
  const nav = document.querySelector('nav');
  const text = main.innerText + ' ' + (nav ? nav.innerText : '');
  main.remove();
  return text;
}"""


def visible_codes(page, codes):
    """Codes shown as words outside <code>/<kbd> (where a code is what a person must type)."""
    text = page.evaluate(VISIBLE_TEXT_JS)
    words = set(re.findall(r"[\w-]+", text))
    return sorted(words & codes)


def crawl(context, base, start_paths, codes, viewport, limit=80, on_page=None, judged=None):
    """Visit pages breadth first from start_paths; return {url: problems}. Pages whose markup is
    in `judged` (filled as pages are judged) skip axe-core."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    queue = [urljoin(base, path) for path in start_paths]
    seen_shapes = set()
    problems = {}
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        shape = page_shape(url)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = page.goto(url, wait_until="load")
        visited += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found = {}
        if response.status >= 500:
            found["status"] = response.status
        overflow = overflow_of(page)
        if overflow:
            found["overflow"] = overflow
        twice = duplicate_ids(page)
        if twice:
            found["duplicate ids"] = twice
        shown = visible_codes(page, codes)
        if shown:
            found["codes"] = shown
        if on_page:
            on_page(page, url)
        queue.extend(link for link in links_of(page, base) if page_shape(link) not in seen_shapes)
        # Each role's first page is judged whole: its menus are the role's own.
        violations = axe_violations(page, judged if visited > 1 else None)  # last: shortens lists
        if violations:
            found["axe"] = violations
        if found:
            problems[url] = found
    page.close()
    return problems, visited


def sign_in(context, base, username, password):
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.close()


def main(base, password="demo-pass-2026"):  # pragma: no cover - a tool for people
    from playwright.sync_api import sync_playwright

    from app import create_app
    from tests.pages.codes import demo_codes

    with create_app().app_context():
        codes = demo_codes()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for role in [None, "organiser", "coop", "volunteer", "cashier"]:
            for language, viewport in (("ar", PHONE), ("fr", DESKTOP)):
                started = time.monotonic()
                context = browser.new_context(bypass_csp=True)
                if role:
                    sign_in(context, base, role, password)
                page = context.new_page()
                page.goto(f"{base}/?lang={language}")
                page.close()
                problems, visited = crawl(context, base, ["/"], codes, viewport, limit=200)
                context.close()
                print(
                    f"== {role or 'public'} {language}: {visited} pages, {time.monotonic() - started:.0f}s"
                )
                for url, found in problems.items():
                    print(" ", url.replace(base, ""), found)
        browser.close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1].rstrip("/"))
