"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Every test in this directory is marked `browser` and runs with real commits
(`django_db(transaction=True)`), because the live server answers from another thread and only
sees committed rows. Django empties every table after such a test, taking the groups that the
roles migration created with it; `_roles` puts them back by running that migration's own code.

`serialized_rollback=True` cannot do this here: Django keeps the serialized copy on the
connection object of the context that created the test database, and once pytest-playwright has
started, its event loop counts as running, so Django hands the test a different connection
object, without the copy. The restore then silently does nothing whenever another test created
the database first, which is every full run.
"""

import os
import threading
import warnings
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import Page, expect

# pytest-playwright's sync API keeps an asyncio event loop in the test thread, and Django refuses
# ORM calls from a thread with a running loop. The loop is idle while the test code runs, so the
# calls are safe; Django reads this variable at call time, so setting it at import is early enough.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

BLOCKING_IMPACTS = {"serious", "critical"}

# Serious violations that Django 5.2's admin produces on its own, with no template of ours involved.
# Checked per node: a violation of the same rule anywhere else on the page still fails the test.
DJANGO_ADMIN_VIOLATIONS = {
    ("link-in-text-block", "div.breadcrumbs"): (
        "admin/css/base.css tells breadcrumb links from the text around them by colour alone"
    ),
    ("aria-prohibited-attr", ".selector .search-label-icon"): (
        "admin/js/SelectFilter2.js (filter_horizontal) puts aria-label on a <span> with no role"
    ),
    ("label", ".tabular.inline-related"): (
        "admin/edit_inline/tabular.html gives inline inputs no <label> (Django ticket #36509)"
    ),
    ("label-title-only", ".tabular.inline-related"): (
        "admin/edit_inline/tabular.html gives inline inputs no <label> (Django ticket #36509)"
    ),
}
_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium rather than a downloaded build: `--browser-channel` cannot name it."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": browser_type_launch_args.get("headless", True),
    }


@pytest.fixture(autouse=True)
def _live_server(live_server):
    """Asked for here, not only in each test, so that pytest-django also sorts these tests after
    the rollback-only ones: the tables they empty are then never seen by a test that expects the
    migrated data."""
    return live_server


class InFlight:
    """Wraps the live server's WSGI app and counts the requests it has not finished answering.

    A page may still have a request on its way when the test ends (an autosave sent as the tab
    closes). The server thread then answers it while Django empties the tables, which fails the
    flush on SQLite ("couldn't be flushed") and leaves rows that break the next test. A request
    counts until its response is closed, as that is when Django's request_finished runs.
    """

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            return _Closing(self.app(environ, start_response), self._done)
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout)


class _Closing:
    def __init__(self, response, done):
        self.response = response
        self.done = done

    def __iter__(self):
        return iter(self.response)

    def close(self) -> None:
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.done()


@pytest.fixture(scope="session")
def _in_flight(live_server) -> InFlight:
    httpd = live_server.thread.httpd
    in_flight = InFlight(httpd.get_app())
    httpd.set_app(in_flight)
    return in_flight


@pytest.fixture(autouse=True)
def _quiet_server(transactional_db, _in_flight):
    """Before Django empties the tables, the test's page is closed (it is torn down first) and
    the live server has finished every request it had started."""
    yield
    assert _in_flight.wait(timeout=10), "the live server was still answering 10 s after the test"


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in `page.goto` resolve against the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def _roles_migration():
    """The roles migration's function, and the models as they stand when it runs."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    key = ("interviews", "0001_roles")
    (operation,) = loader.get_migration(*key).operations
    return operation.code, loader.project_state(key, at_end=False).apps


@pytest.fixture(autouse=True)
def _roles(transactional_db, _roles_migration):
    create_roles, apps = _roles_migration
    create_roles(apps, None)


def login(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the app's own login page and wait until it lets us in."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def admin_login(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the admin's login page and wait for the admin index."""
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def assert_no_serious_axe_violations(page: Page, known: dict[tuple[str, str], str] | None = None):
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    `known` maps (rule id, CSS selector of a container) to the reason a violation inside that
    container is not ours to fix; those are reported as warnings, never silently dropped.
    """
    known = known or {}
    blocking = []
    for violation in _axe.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = [node["target"] for node in violation["nodes"]]
        reasons = _known_reasons(page, violation["id"], targets, known)
        excused: dict[str, list[str]] = {}
        ours = []
        for target, reason in zip(targets, reasons, strict=True):
            shown = ", ".join(map(str, target))
            if reason:
                excused.setdefault(reason, []).append(shown)
            else:
                ours.append(shown)
        for reason, shown in excused.items():
            warnings.warn(
                f"axe {violation['id']} ({violation['impact']}) on {page.url}, "
                f"{len(shown)} nodes, first {shown[0]}: {reason}",
                KnownAxeViolation,
                stacklevel=2,
            )
        if ours:
            blocking.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                + "\n".join(f"    {target}" for target in ours)
            )
    assert not blocking, f"axe found blocking violations on {page.url}:\n" + "\n".join(blocking)


class KnownAxeViolation(UserWarning):
    """A serious axe violation in markup the project does not own (Django admin's)."""


def _known_reasons(page: Page, rule: str, targets: list[list], known: dict) -> list[str | None]:
    """For each axe target, the reason of the first known container it sits in, or None."""
    containers = [(container, reason) for (r, container), reason in known.items() if r == rule]
    if not containers:
        return [None] * len(targets)
    # A target of more than one selector is inside an iframe or shadow root: never excused.
    found = page.evaluate(
        """([targets, containers]) => targets.map((target) => {
            const element = target.length === 1 ? document.querySelector(target[0]) : null;
            return element ? containers.findIndex((c) => element.closest(c)) : -1;
        })""",
        [targets, [container for container, _ in containers]],
    )
    return [containers[index][1] if index >= 0 else None for index in found]
