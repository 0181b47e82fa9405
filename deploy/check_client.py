"""The browser side of scripts/image-check: log in, run an interview, autosave, fetch a PDF.

Standard library only, so it runs with the host's python3 before any virtualenv exists. Each
subcommand prints one line per step and exits non-zero on the first thing that is not as a real
user would need it. State between subcommands (the cookie jar, the interview and item codes)
lives in a folder given as the first argument.

    check_client.py DIR prepare URL USER PASSWORD
    check_client.py DIR replicas PROXY_URL REPLICA_A_URL REPLICA_B_URL
    check_client.py DIR pdf URL
    check_client.py DIR autosave-loop URL COUNT
    check_client.py DIR verify-writes            (reads "notes|version" for the item on stdin)
"""

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


class Failed(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser: a cookie jar kept on disk, shared by every address it talks to."""

    def __init__(self, folder: Path):
        self.jar = http.cookiejar.MozillaCookieJar(folder / "cookies.txt")
        if (folder / "cookies.txt").exists():
            self.jar.load(ignore_discard=True, ignore_expires=True)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def save(self) -> None:
        self.jar.save(ignore_discard=True, ignore_expires=True)

    def request(self, url: str, data: dict | None = None, htmx: bool = False):
        """(status, headers, text) for one request; redirects are answers, not followed."""
        headers = {"User-Agent": "interview-desk-image-check"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        if htmx:
            headers["HX-Request"] = "true"
        if not url.startswith("http://127.0.0.1:"):
            raise Failed(f"the check talks to this machine only, not {url}")
        req = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (checked above)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def cookie(self, name: str) -> str:
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return ""


def expect(what: str, status: int, wanted: int, detail: str = "") -> None:
    if status != wanted:
        raise Failed(f"{what}: HTTP {status}, expected {wanted} {detail}".rstrip())
    print(f"  ok  {what}: HTTP {status} {detail}".rstrip())


def field(html: str, pattern: str, what: str) -> str:
    match = re.search(pattern, html, re.S)
    if not match:
        raise Failed(f"{what} not found in the page")
    return match.group(1)


def notes_version(html: str, item: str) -> int:
    return int(field(html, rf'id="notes-version-{item}" value="(\d+)"', "the notes version"))


def prepare(folder: Path, url: str, user: str, password: str) -> None:
    client = Client(folder)
    status, _, body = client.request(f"{url}/accounts/login/")
    expect("login form", status, 200)
    token = field(body.decode(), r'name="csrfmiddlewaretoken" value="([^"]+)"', "CSRF token")
    login = {"csrfmiddlewaretoken": token, "username": user, "password": password}
    status, headers, _ = client.request(f"{url}/accounts/login/", login)
    expect("log in", status, 302, f"-> {headers.get('Location')}")
    status, _, body = client.request(f"{url}/interviews/new/")
    expect("new interview form", status, 200)
    html = body.decode()
    form = {
        "csrfmiddlewaretoken": field(html, r'name="csrfmiddlewaretoken" value="([^"]+)"', "CSRF"),
        "name": "Ada Imagecheck",
        "position": "Platform engineer",
        "target_level": "3",
        "bank": field(html, r'<select name="bank"[^>]*>\s*<option value="(\d+)"', "a bank"),
        "planned_minutes": "45",
    }
    status, headers, _ = client.request(f"{url}/interviews/new/", form)
    location = headers.get("Location", "")
    expect("create an interview", status, 302, f"-> {location}")
    code = field(location, r"/interviews/([0-9a-f-]{36})/", "the interview code")
    status, _, _ = client.request(f"{url}/interviews/{code}/start/", {})
    expect("start it", status, 302)
    status, _, body = client.request(f"{url}/interviews/{code}/")
    expect("live view", status, 200)
    item = field(body.decode(), rf"/interviews/{code}/items/([0-9a-f-]{{36}})/notes/", "an item")
    client.save()
    state = {"interview": code, "item": item}
    (folder / "state.json").write_text(json.dumps(state))
    print(f"  ok  interview {code}, first question {item}")


def _state(folder: Path) -> dict:
    return json.loads((folder / "state.json").read_text())


def _notes_url(base: str, state: dict) -> str:
    return f"{base}/interviews/{state['interview']}/items/{state['item']}/notes/"


def replicas(folder: Path, proxy: str, replica_a: str, replica_b: str) -> None:
    """One session, one autosave version line, one conflict, seen by both replicas and the proxy."""
    client, state = Client(folder), _state(folder)
    live = f"/interviews/{state['interview']}/"
    for name, base in (("replica A", replica_a), ("replica B", replica_b)):
        status, _, body = client.request(base + live)
        expect(f"session cookie accepted by {name}", status, 200)
    version = notes_version(body.decode(), state["item"])
    status, _, body = client.request(
        _notes_url(replica_a, state), {"notes": "Saved on A.", "version": version}, htmx=True
    )
    expect(f"autosave on replica A at version {version}", status, 200)
    saved = notes_version(body.decode(), state["item"])
    if saved != version + 1:
        raise Failed(f"replica A answered version {saved}, expected {version + 1}")
    status, _, body = client.request(
        _notes_url(replica_b, state), {"notes": "Stale on B.", "version": version}, htmx=True
    )
    expect(f"stale autosave on replica B (version {version}) is a conflict", status, 409)
    if "Saved on A." not in body.decode():
        raise Failed("the conflict on replica B does not show the text saved on replica A")
    status, _, body = client.request(
        _notes_url(replica_b, state), {"notes": "Merged on B.", "version": saved}, htmx=True
    )
    expect(f"autosave on replica B at version {saved}", status, 200)
    version = notes_version(body.decode(), state["item"])
    # Through the proxy: round robin, so consecutive requests go to alternate replicas.
    for n in range(4):
        text = f"Through the proxy, save {n + 1}."
        status, _, body = client.request(
            _notes_url(proxy, state), {"notes": text, "version": version}, htmx=True
        )
        expect(f"autosave through the proxy at version {version}", status, 200)
        version = notes_version(body.decode(), state["item"])
    status, _, _ = client.request(
        _notes_url(proxy, state), {"notes": "Stale.", "version": version - 1}, htmx=True
    )
    expect(f"stale autosave through the proxy (version {version - 1})", status, 409)
    for _ in range(4):
        status, _, _ = client.request(proxy + live)
        expect("live view through the proxy", status, 200)


def pdf(folder: Path, url: str) -> None:
    """The report's PDF, as a person gets it: the first ask queues it for the task worker (202,
    a page that waits); asking again once the worker has made it answers the PDF."""
    client, state = Client(folder), _state(folder)
    report = f"{url}/interviews/{state['interview']}/report.pdf"
    status, headers, body = client.request(report)
    waited = time.monotonic()
    while status == 202 and time.monotonic() - waited < 60:
        time.sleep(0.5)
        status, headers, body = client.request(report)
    if status == 202:
        raise Failed("the PDF was not made within 60 s: is the task worker running?")
    print(f"  ok  made by the task worker in {time.monotonic() - waited:.1f} s")
    expect("report PDF", status, 200, headers.get("Content-Type", ""))
    if not body.startswith(b"%PDF-"):
        raise Failed("the report is not a PDF")
    (folder / "report.pdf").write_bytes(body)
    print(f"  ok  {len(body)} bytes")


def autosave_loop(folder: Path, url: str, count: int) -> None:
    """Type a line at a time, as autosave does; record each write the app acknowledged.

    A request that fails (a replica stopping under it) is sent again unchanged, as htmx's retry
    does: the app answers an already-saved text without writing it twice.
    """
    client, state = Client(folder), _state(folder)
    status, _, body = client.request(f"{url}/interviews/{state['interview']}/")
    expect("live view before the loop", status, 200)
    version = notes_version(body.decode(), state["item"])
    text, acked, retries = "", [], 0
    for n in range(count):
        line = f"autosave line {n + 1:03d}\n"
        payload = {"notes": text + line, "version": version}
        for _attempt in range(20):
            try:
                status, _, body = client.request(_notes_url(url, state), payload, htmx=True)
            except OSError as e:
                status, body = 0, str(e).encode()
            if status == 200:
                break
            retries += 1
            print(f"  ..  line {n + 1}: HTTP {status}, sending it again", flush=True)
            time.sleep(0.5)
        else:
            raise Failed(f"line {n + 1} was never acknowledged")
        version = notes_version(body.decode(), state["item"])
        text += line
        acked.append({"line": line.strip(), "version": version})
        (folder / "acked.json").write_text(json.dumps(acked))
        time.sleep(0.05)
    print(f"  ok  {len(acked)} autosaves acknowledged, {retries} sent again")


def verify_writes(folder: Path) -> None:
    acked = json.loads((folder / "acked.json").read_text())
    notes, _, version = sys.stdin.read().rstrip("\n").rpartition("|")
    lost = [a["line"] for a in acked if a["line"] + "\n" not in notes]
    if lost:
        raise Failed(f"{len(lost)} acknowledged writes are not in the database: {lost[:3]}")
    if int(version) != acked[-1]["version"]:
        raise Failed(f"database at version {version}, last acknowledged {acked[-1]['version']}")
    print(f"  ok  all {len(acked)} acknowledged writes in the database, at version {version}")


def main(argv: list[str]) -> int:
    folder, command, *args = argv
    commands = {
        "prepare": prepare,
        "replicas": replicas,
        "pdf": pdf,
        "autosave-loop": lambda f, url, n: autosave_loop(f, url, int(n)),
        "verify-writes": verify_writes,
    }
    try:
        commands[command](Path(folder), *args)
    except Failed as e:
        print(f"  FAILED: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
