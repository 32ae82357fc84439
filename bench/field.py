"""Bytes a phone downloads for the gate scanner, measured in Chromium (390x844) in ar and fr.

    .venv/bin/python bench/field.py [--port 5013]

The app runs under gunicorn on a throw-away SQLite database; Chromium reaches it through a small
TCP proxy that counts every byte the server sends (headers and compressed bodies, the service
worker's own downloads included), and the DevTools protocol (Network.loadingFinished) gives the
page's own figure. For Arabic and French it prints:
- first load of the scanner, without the camera (target <= 300 KB);
- a repeat load (target <= 20 KB from the network);
- the camera decoder on the first start of the camera, and on a start after a reload
  (downloaded once per version: the second figure must be about 0);
and, as the baseline of the same run, the size of the same first-load files uncompressed
(what the app sent before compression): the ratio shows what compression and the subset font save.
"""

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.harness import open_round_the_clock_edition, start_server  # noqa: E402
from core.extensions import db  # noqa: E402

PASSWORD = "bench-pass-2026"
KB = 1024
TARGETS = {"first": 300 * KB, "repeat": 20 * KB}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5013, help="gunicorn port")
    parser.add_argument("--proxy-port", type=int, default=5113, help="counting proxy port")
    return parser.parse_args()


class CountingProxy:
    """A TCP relay 127.0.0.1:listen -> 127.0.0.1:target counting the bytes sent to the browser."""

    def __init__(self, listen, target):
        self.target = target
        self.received = 0
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", listen), reuse_port=False)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self.pipe, args=(upstream, client, True), daemon=True).start()

    def pipe(self, source, sink, counted):
        try:
            while chunk := source.recv(65536):
                if counted:
                    with self.lock:
                        self.received += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take(self):
        with self.lock:
            value, self.received = self.received, 0
        return value

    def close(self):
        self.server.close()


def prepare(database_url):
    from accounts.services import create_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        organiser = create_user("bench-organiser", PASSWORD, "organiser")
        create_user("bench-volunteer", PASSWORD, "volunteer")
        open_round_the_clock_edition(organiser, "bench-field", "Banc", 2, ["gate-north"])
        db.session.commit()


def settle(page, seconds=1.5):
    page.wait_for_load_state("networkidle")
    time.sleep(seconds)


def page_bytes(page, action):
    """(bytes through the proxy, bytes the page's DevTools session saw, URLs) during `action`."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    seen, urls = [], []
    session.on("Network.loadingFinished", lambda event: seen.append(event["encodedDataLength"]))
    session.on("Network.requestWillBeSent", lambda event: urls.append(event["request"]["url"]))
    action()
    settle(page)
    session.detach()
    return sum(seen), urls


def measure_language(browser, base, proxy, language):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Africa/Casablanca"
    )
    page = context.new_page()
    page.goto(f"{base}/login?next=/tickets")
    page.fill("#username", "bench-volunteer")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    settle(page)
    # A phone that never saw the app: nothing in its HTTP cache (the login page's CSS included).
    session = context.new_cdp_session(page)
    session.send("Network.clearBrowserCache")
    session.detach()
    proxy.take()

    def first_load():
        page.goto(f"{base}/scanner?lang={language}")
        page.wait_for_selector("body[data-scanner-ready=true]")
        page.wait_for_selector("body[data-offline-ready=true]")

    first_page, first_urls = page_bytes(page, first_load)
    first = proxy.take()
    page.select_option("#site", "meknes")
    page.click("#place-form button[type=submit]")

    def reload():
        page.reload()
        page.wait_for_selector("body[data-scanner-ready=true]")

    proxy.take()
    repeat_page, repeat_urls = page_bytes(page, reload)
    repeat = proxy.take()

    def camera():
        page.click("#camera-button")
        # Polled from here: the page's CSP refuses the string evaluation wait_for_function uses.
        deadline = time.time() + 60
        while time.time() < deadline and not page.evaluate(
            "() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('.wasm'))"
        ):
            time.sleep(0.2)

    camera_first, _ = page_bytes(page, camera)
    camera_first = proxy.take()
    reload()
    settle(page)
    proxy.take()
    camera_again, _ = page_bytes(page, camera)
    camera_again = proxy.take()
    context.close()
    return {
        "first": first,
        "first_page": first_page,
        "repeat": repeat,
        "repeat_page": repeat_page,
        "camera_first": camera_first,
        "camera_again": camera_again,
        "decoder_on_first_load": any("zxing" in url for url in first_urls + repeat_urls),
        "first_urls": sorted({url for url in first_urls if url.startswith(base)}),
    }


def uncompressed_size(port, urls, base):
    """The baseline: the same files fetched without compression (identity encoding)."""
    import http.client

    total = 0
    for url in urls:
        path = url[len(base) :]
        if path.startswith("/scanner/session"):
            continue
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        total += len(connection.getresponse().read())
        connection.close()
    return total


def main():
    from playwright.sync_api import sync_playwright

    arguments = parse_arguments()
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{folder}/bench-field.db"
        prepare(database_url)
        server = start_server(1, arguments.port, database_url)
        proxy = CountingProxy(arguments.proxy_port, arguments.port)
        base = f"http://127.0.0.1:{arguments.proxy_port}"
        results = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    headless=True,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--use-fake-device-for-media-stream",
                        "--use-fake-ui-for-media-stream",
                    ],
                )
                for language in ("ar", "fr"):
                    results[language] = measure_language(browser, base, proxy, language)
                browser.close()
            for figures in results.values():
                figures["baseline"] = uncompressed_size(arguments.port, figures["first_urls"], base)
        finally:
            proxy.close()
            server.terminate()
            server.wait()
    report(results)


def report(results):
    print("Gate scanner at 390x844, bytes from the network (through the counting proxy):")
    failed = False
    for language, figures in results.items():
        first, repeat = figures["first"], figures["repeat"]
        print(
            f"  {language}: first load {first / KB:.1f} KB (target <= 300; page's own DevTools "
            f"figure {figures['first_page'] / KB:.1f} KB), repeat load {repeat / KB:.1f} KB "
            f"(target <= 20; DevTools {figures['repeat_page'] / KB:.1f} KB)"
        )
        print(
            f"      camera decoder: first start {figures['camera_first'] / KB:.1f} KB, start after a "
            f"reload {figures['camera_again'] / KB:.1f} KB; decoder fetched without the camera: "
            f"{'yes' if figures['decoder_on_first_load'] else 'no'}"
        )
        print(
            f"      baseline (same first-load files uncompressed): {figures['baseline'] / KB:.1f} KB;"
            f" first load / baseline = {first / figures['baseline']:.2f}"
        )
        failed |= first > TARGETS["first"] or repeat > TARGETS["repeat"]
        failed |= figures["decoder_on_first_load"] or figures["camera_again"] > 10 * KB
    if failed:
        raise SystemExit("a target was missed")


if __name__ == "__main__":
    main()
