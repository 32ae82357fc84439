"""A new version of the field app's shell installs in the background and takes over only at the
next start: while the phone sends its queue, the old worker keeps the page; a page opened after
the last old one closed is served by the new worker; no scan is lost or recorded twice."""

import time

from pytest_flask.live_server import LiveServer

from app import create_app
from core.extensions import db
from tests.visitors.test_field_app import choose_place, enter_code, open_scanner, sign_in
from visitors.models import Scan

ASK_VERSION = """async (which) => {
    const registration = await navigator.serviceWorker.getRegistration();
    const worker = which === 'controller' ? navigator.serviceWorker.controller : registration && registration[which];
    if (!worker) return null;
    return await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data.version);
        worker.postMessage({type: 'version'}, [channel.port2]);
    });
}"""


LOOK_FOR_UPDATE = """async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && !registration.installing) await registration.update().catch(() => null);
}"""


def version_of(page, which="controller"):
    return page.evaluate(ASK_VERSION, which)


def waiting_version(page):
    """The version of the worker waiting to take over; until there is one, the phone looks for an
    update again (as a phone does on its own: on a loaded machine one look can come back empty)."""
    version = version_of(page, "waiting")
    if version is None:
        page.evaluate(LOOK_FOR_UPDATE)
    return version


def until(check, seconds=30):
    """Poll a condition the page cannot signal (a service worker's state)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_new_shell_waits_for_the_next_start_and_never_cuts_a_sync(
    live_server, phone, make_user, live_edition, app_config
):
    from visitors.services import create_ticket

    codes = [create_ticket(live_edition, {}, None).code for _ in range(3)]
    db.session.commit()
    username = make_user("volunteer").username
    db.session.rollback()
    base = live_server.url()
    sign_in(phone, base, username)
    open_scanner(phone, base)
    choose_place(phone)
    phone.wait_for_selector("body[data-offline-ready=true]", timeout=30_000)
    old = until(lambda: version_of(phone))

    phone.context.set_offline(True)
    for code in codes:
        enter_code(phone, code)
    phone.wait_for_selector("#pending[data-count='3']")

    # A new release is deployed while the phone is offline: same address, another shell.
    live_server.stop()
    live_server._process.join(30)  # the port is free only once the old server has gone
    release = create_app({**app_config, "FIELD_RELEASE": "next"})
    server = LiveServer(release, live_server.host, live_server.port, wait=30)
    try:
        server.start()  # inside the try: a server that starts late is stopped all the same
        held, released = [], []

        def hold(route):
            route.continue_() if released else held.append(route)

        phone.route("**/api/v1/scans", hold)
        phone.context.set_offline(False)  # the page starts sending its queue...
        until(lambda: held or phone.wait_for_timeout(100))
        # ...and while the batch is on its way, the phone finds the new worker and installs it.
        new = until(lambda: waiting_version(phone), seconds=90)
        assert new != old
        assert version_of(phone) == old  # the old worker keeps the page in the middle of the sync
        assert phone.get_attribute("#pending", "data-count") == "3"
        released.append(True)
        for route in held:
            route.continue_()
        phone.wait_for_selector("#pending[data-count='0']", timeout=30_000)
        assert version_of(phone) == old  # a finished sync is no start either
        assert version_of(phone, "waiting") == new

        # The next start: the last page of the old version closed, the app opened again.
        context = phone.context
        phone.close()
        again = context.new_page()
        open_scanner(again, base)
        assert until(lambda: version_of(again)) == new
        assert until(lambda: version_of(again, "active")) == new
        again.wait_for_selector("#scanning:not([hidden])")  # the place is remembered
        assert again.get_attribute("#pending", "data-count") == "0"
        # Every scan recorded once: nothing lost, nothing twice.
        assert sorted(code for (code,) in db.session.query(Scan.code)) == sorted(codes)
        db.session.rollback()
    finally:
        server.stop()
        if server._process is not None:
            server._process.join(30)
