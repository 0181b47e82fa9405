"""Everything a person typed is inert wherever it appears, in Chromium.

A corpus of XSS payloads goes into every text field: candidate name, position title, notes,
rationale, reopening reason, search boxes, the erase confirmation, an interviewer's display name,
and a bank's Markdown (prompt, expected answer, rubric, titles) through the importer. Then every
page that shows them is opened, htmx fragments included, through real interactions.

On every page: no dialog may open (every payload that runs calls alert() or sets a global flag),
the flags stay unset, and the DOM holds no markup that could run script (event-handler or htmx
attributes, javascript:/data: URLs, inline scripts, frames, objects, free style).

The browser contexts bypass the Content-Security-Policy. CSP is the second line of defence (its
header is tested in tests/security/test_headers.py); here escaping and sanitising alone must
hold, so a payload that only CSP stops still fails the test.
"""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from interviews import services
from interviews.models import Candidate, Interview, PlannedQuestion, Reopening
from questionbank.models import Bank
from questionbank.parser import parse_bank
from questionbank.services import import_bank

from .conftest import admin_login, login

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    "<ScRiPt>alert(2)</sCrIpT>",
    "<scr<script>ipt>alert(3)</script>",
    '<img src=x onerror="window.__xss=1;alert(4)">',
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(5)>",
    "<svg onload=alert(6)>",
    "<svg><script>alert(7)</script></svg>",
    "[link](javascript:alert(8))",
    "[link](JaVaScRiPt:alert(9))",
    "[link](&#106;avascript:alert(10))",
    "![img](javascript:alert(11))",
    "<javascript:alert(12)>",
    '<a href="jav&#x09;ascript:alert(13)">tab</a>',
    '<a href="javascript:alert(14)">plain</a>',
    '<iframe srcdoc="<script>parent.__xss=1;alert(15)</script>"></iframe>',
    '<iframe src="javascript:alert(16)"></iframe>',
    '"><script>alert(17)</script>',
    "'><img src=x onerror=alert(18)>",
    "</textarea><script>alert(19)</script>",
    "</title><script>alert(20)</script>",
    "</pre><svg onload=alert(21)>",
    "{{7*7}} {% debug %} ${7*7} #{7*7}",
    '<div style="background:url(javascript:alert(22));width:expression(alert(23))">css</div>',
    '<table><tr><td style="position:fixed;inset:0;background:url(javascript:alert(24))">cover</td></tr></table>',
    '<object data="data:text/html,<script>alert(25)</script>"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgyNik8L3NjcmlwdD4=">',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgyNyk8L3NjcmlwdD4=)",
    "\\u003cscript\\u003ealert(28)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(29)%3C/script%3E",
    "&lt;script&gt;alert(30)&lt;/script&gt;",
    '<div hx-get="/" hx-trigger="load" hx-on::after-request="alert(31)">htmx</div>',
    '<button hx-on:click="alert(32)" data-hx-on-click="alert(32)">htmx</button>',
    '<div hx-get="javascript:alert(33)" hx-trigger="load" hx-vals=\'js:{a:alert(33)}\'>v</div>',
    '<form action="javascript:alert(34)"><button formaction="javascript:alert(34)">go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(35)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(36)>">',
    "<details open ontoggle=alert(37)>",
    "<input autofocus onfocus=alert(38)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(39)">',
    '<base href="javascript:alert(40)//">',
    "<video><source onerror=alert(41)></video>",
    "<body onload=alert(42)>",
    "`<script>alert(43)</script>`",
    '<https://example.com/"onmouseover="alert(44)>',
    "\uff1cscript\uff1ealert(45)\uff1c/script\uff1e",
    "'';!--\"<XSS>=&{()}",
]
CORPUS = "\n\n".join(PAYLOADS)
TOPICS = ["attention weights", "scaling dot products", "positional encodings", "tokenisation"]

# Markup that can run script, found in the DOM after the page settled. The app's own markup has
# htmx attributes, but never one mentioning alert, javascript: or js:, and no inline handler.
SCAN = r"""() => {
  const problems = [];
  const say = (el, what) => problems.push(`<${el.tagName.toLowerCase()}> ${what}`.slice(0, 160));
  const urls = new Set(["href", "src", "action", "formaction", "data", "xlink:href", "poster",
                        "background"]);
  const scheme = (value) => {
    try { return new URL(value, document.baseURI).protocol; } catch (e) { return "unparsable:"; }
  };
  for (const el of document.querySelectorAll("*")) {
    for (const {name, value} of Array.from(el.attributes)) {
      const v = value.replace(/[\u0000-\u0020]/g, "");
      if (name.startsWith("on") || /^(data-)?hx-on/.test(name) || name === "srcdoc") say(el, `${name}=${value}`);
      else if (/^(data-)?hx-/.test(name) && /alert|javascript:|^js:/i.test(v)) say(el, `${name}=${value}`);
      else if (urls.has(name) && !["http:", "https:", "mailto:"].includes(scheme(value))) say(el, `${name}=${value}`);
      else if (name === "style" && /url\(|expression|position|inset/i.test(v)) say(el, `style=${value}`);
    }
    const tag = el.tagName.toLowerCase();
    if (tag === "script" && !el.src && !/json/.test(el.type)) say(el, el.textContent);
    if (["iframe", "frame", "object", "embed", "applet", "base"].includes(tag)) say(el, "element");
    if (tag === "meta" && el.closest("body")) say(el, "in the body");
    if (tag === "link" && el.closest("body") && !el.getAttribute("href").startsWith("/static/")) say(el, "in the body");
  }
  if (window.__xss || (window.top && window.top.__xss)) problems.push("window.__xss was set");
  return problems;
}"""


def chunks(limit: int) -> list[str]:
    """The corpus cut into strings of at most `limit` characters, whole payloads only."""
    out = [""]
    for payload in PAYLOADS:
        if out[-1] and len(out[-1]) + 1 + len(payload) > limit:
            out.append("")
        out[-1] = f"{out[-1]} {payload}".strip()
    return out


def bank_markdown() -> str:
    """A bank whose every text carries payloads: title, description, section, subsection, prompt
    (its bold line and its paragraphs), expected answer and key points, rubric names and texts."""
    names = [p for p in PAYLOADS if "*" not in p]  # a criterion name cannot hold "*"
    lines = [
        f"# XSS bank {PAYLOADS[0]}",
        "",
        PAYLOADS[3],
        "",
        f"## Section 1: Basics {PAYLOADS[5]}",
    ]
    lines += ["", f"### {PAYLOADS[13]} questions (5-8 years experience)", ""]
    for number, topic in enumerate(TOPICS, 1):
        lines += [f"**Q{number}: Explain {topic} {PAYLOADS[number]}**", "", CORPUS, ""]
        lines += ["**Expected Answer:**", *(f"- {topic} {p}" for p in PAYLOADS), ""]
    lines += ["## Evaluation Rubric", "", "### Senior Level (5-8 years experience)"]
    for number, topic in enumerate(TOPICS):
        name, text = names[number * 3 + 14], PAYLOADS[30 + number]
        lines.append(f"- **{topic.title()} {name}:** Understands {topic}. {text}")
    return "\n".join(lines) + "\n"


class Guard:
    """Watches every page of a context: a dialog, a set flag or dangerous markup is a failure."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.problems: list[str] = []
        self.pages_checked = 0

    def open(self, context: BrowserContext) -> Page:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: self._dialog(page, dialog))
        return page

    def _dialog(self, page: Page, dialog) -> None:
        self.problems.append(f"a dialog ({dialog.message!r}) opened on {page.url}")
        dialog.dismiss()

    def check(self, page: Page, what: str = "") -> None:
        page.wait_for_load_state()
        found = page.evaluate(SCAN)
        self.problems += [f"{page.url} {what}: {problem}" for problem in found]
        self.pages_checked += 1

    def visit(self, page: Page, path: str) -> None:
        response = page.goto(self.base_url + path)
        assert response.ok, f"{path} answered {response.status}"
        self.check(page)

    def assert_clean(self) -> None:
        assert not self.problems, "Payloads came alive:\n" + "\n".join(self.problems)


@pytest.fixture
def guard(live_server) -> Guard:
    return Guard(live_server.url)


@pytest.fixture
def contexts(new_context):
    """A fresh browser context per person, every one of them ignoring the CSP (see the top)."""
    return lambda: new_context(bypass_csp=True)


def interview_pages(interview: Interview) -> list[str]:
    base = f"/interviews/{interview.code}/"
    return [
        base,
        f"{base}plan/",
        f"{base}summary/",
        f"{base}report/",
        f"{base}report/?profile=candidate",
    ]


def test_it_keeps_payloads_typed_into_every_form_inert(
    contexts, guard: Guard, live_server, interviewer, manager, editor
):
    # Bank Markdown, through the admin's upload and its dry-run report.
    admin = guard.open(contexts())
    admin_login(admin, live_server, editor.username, "password")
    guard.visit(admin, "/admin/questionbank/bank/import/")
    admin.get_by_label("File").set_input_files(
        files=[{"name": "xss.md", "mimeType": "text/markdown", "buffer": bank_markdown().encode()}]
    )
    admin.get_by_role("button", name="Check the file").click()
    guard.check(admin, "import dry run")
    admin.get_by_role("button", name="Confirm import").click()
    expect(admin).to_have_url(re.compile(r"/admin/questionbank/bank/\d+/change/$"))
    guard.check(admin, "bank after import")
    bank = Bank.objects.get()
    guard.visit(admin, "/admin/questionbank/question/")
    for question in bank.questions.all():
        guard.visit(admin, f"/admin/questionbank/question/{question.pk}/change/")
    guard.visit(admin, "/admin/questionbank/criterion/")

    # Candidate name and position, through the new-interview form.
    name, position = chunks(200)[0], chunks(200)[1]
    page = guard.open(contexts())
    login(page, live_server, interviewer.username, "password")
    guard.visit(page, "/interviews/new/")
    page.get_by_label("New candidate's name").fill(name)
    page.get_by_label("Position title").fill(position)
    page.get_by_label("Duration (minutes)").fill("20")
    page.get_by_role("button", name="Plan the interview").click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    guard.check(page, "plan")
    interview = Interview.objects.get()
    assert (interview.candidate.name, interview.position) == (name, position)

    # The plan's htmx fragments: search (the query is typed text too), alternatives, add.
    with page.expect_response(re.compile(r"/plan/search/")):
        page.get_by_label("Search prompts and answers").fill("explain")
    expect(page.locator("#search-results li").first).to_be_visible()
    guard.check(page, "search results")
    with page.expect_response(re.compile(r"/plan/search/")):
        page.get_by_label("Search prompts and answers").fill(PAYLOADS[0])
    guard.check(page, "search for a payload")
    with page.expect_response(re.compile(r"/alternatives/")):
        page.get_by_role("link", name="Swap…").first.click()
    guard.check(page, "alternatives")
    with page.expect_response(re.compile(r"/plan/search/")):
        page.get_by_label("Search prompts and answers").fill("explain")
    with page.expect_response(re.compile(r"/plan/add/")):
        page.locator("#search-results").get_by_role(
            "button", name=re.compile("^Add ")
        ).first.click()
    guard.check(page, "plan after adding")

    # The live view; the candidate screen polling its fragment; notes typed and autosaved.
    guard.visit(page, f"/interviews/{interview.code}/")
    assert page.locator("h1").inner_text() == name  # shown exactly as typed
    page.get_by_role("button", name="Start the interview").click()
    page.locator("[data-menu] > summary").click()
    page.get_by_role("button", name="Share a candidate screen").click()
    guard.check(page, "live, running")
    interview.refresh_from_db()
    screen = guard.open(contexts())
    with screen.expect_response(re.compile(r"/current/$")):
        guard.visit(screen, f"/screen/{interview.screen_token}/")
    guard.check(screen, "candidate screen after a poll")
    item = interview.current
    notes = page.locator(f"#notes-{item.code}")
    with page.expect_response(re.compile(r"/notes/$")):
        notes.fill(CORPUS)
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
    guard.check(page, "notes saved")
    # Someone else saves first: the 409 fragment shows both texts.
    PlannedQuestion.objects.filter(pk=item.pk).update(notes=CORPUS[::-1], notes_version=99)
    with page.expect_response(lambda r: r.url.endswith("/notes/") and r.status == 409):
        notes.fill(CORPUS + "\n\nmore")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "conflict")
    guard.check(page, "notes conflict")
    PlannedQuestion.objects.filter(interview=interview).update(score=3, notes=CORPUS)
    page.reload()
    guard.check(page, "live, with notes")

    # The rationale, through the decision form; the reports and the debrief.
    guard.visit(page, f"/interviews/{interview.code}/summary/")
    page.get_by_label("Hire", exact=True).check()
    page.get_by_label("Rationale").fill(CORPUS)
    page.get_by_role("button", name="Submit the scorecard").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard submitted")
    guard.check(page, "summary, submitted")
    reports_and_debrief = [
        *interview_pages(interview)[3:],
        f"/candidates/{interview.candidate.code}/debrief/",
    ]
    for path in reports_and_debrief:
        guard.visit(page, path)

    # The reopening reason, through the reopen form.
    page.goto(f"{live_server.url}/interviews/{interview.code}/summary/")
    page.get_by_label("Why reopen this scorecard?").fill(chunks(2000)[0])
    page.get_by_role("button", name="Reopen").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard reopened")
    guard.check(page, "summary, reopened")

    # The dashboard's search; a manager's debrief, audit log and erase confirmation.
    guard.visit(page, "/")
    with page.expect_response(re.compile(r"/\?q=")):
        page.get_by_label("Candidate name").fill(PAYLOADS[17])
    guard.check(page, "dashboard search")
    boss = guard.open(contexts())
    login(boss, live_server, manager.username, "password")
    for path in ["/", f"/candidates/{interview.candidate.code}/debrief/", "/audit/"]:
        guard.visit(boss, path)
    guard.visit(boss, f"/candidates/{interview.candidate.code}/erase/")
    boss.get_by_label("Type the candidate's name to confirm").fill(PAYLOADS[18])
    boss.get_by_role("button", name="Erase this candidate").click()
    expect(boss.get_by_text("The name does not match")).to_be_visible()
    guard.check(boss, "erase, wrong name")

    guard.assert_clean()
    assert Candidate.objects.get().erased_at is None


def test_it_keeps_the_whole_corpus_inert_on_every_page(
    contexts, guard: Guard, live_server, interviewer, manager, editor, make_interview
):
    """Every payload in every field, written through the ORM, on every page that shows it."""
    import_bank(parse_bank(bank_markdown(), source="xss.md"), slug="xss", source_file="xss.md")
    bank = Bank.objects.get()
    interviewer.first_name, interviewer.last_name = chunks(150)[0], chunks(150)[1]
    interviewer.save()
    names, positions, reasons = chunks(200), chunks(200), chunks(2000)
    interviews = []
    for index, name in enumerate(names):
        interview = make_interview(
            Candidate.objects.create(name=name, created_by=interviewer),
            position=positions[(index + 1) % len(positions)],
            bank=bank,
            planned_minutes=20,
            seed=index,
        )
        items = list(interview.items.all())
        for position, item in enumerate(items):
            item.score, item.notes, item.notes_shared = 3, CORPUS, position != 0
        PlannedQuestion.objects.bulk_update(items, ["score", "notes", "notes_shared"])
        services.submit_scorecard(
            interview=interview, by=interviewer, recommendation="hire", rationale=CORPUS
        )
        interviews.append(interview)
    first = interviews[0]
    for reason in reasons:
        services.reopen_scorecard(interview=first, by=interviewer, reason=reason)
        services.submit_scorecard(
            interview=first, by=interviewer, recommendation="no_hire", rationale=CORPUS
        )
    assert Reopening.objects.count() == len(reasons) == 2

    page = guard.open(contexts())
    login(page, live_server, interviewer.username, "password")
    guard.visit(page, "/")
    for interview in interviews:
        for path in interview_pages(interview):
            guard.visit(page, path)
            if path.endswith("/summary/"):
                # Shown as typed: "{{7*7}}" stays "{{7*7}}", markup stays text.
                assert (
                    page.locator("h1").inner_text() == f"Hiring summary: {interview.candidate.name}"
                )
        guard.visit(page, f"/candidates/{interview.candidate.code}/debrief/")
    assert any("{{7*7}}" in i.candidate.name for i in interviews)

    boss = guard.open(contexts())
    login(boss, live_server, manager.username, "password")
    guard.visit(boss, "/audit/")
    for interview in interviews:
        guard.visit(boss, f"/candidates/{interview.candidate.code}/erase/")

    admin = guard.open(contexts())
    admin_login(admin, live_server, editor.username, "password")
    for question in bank.questions.all():
        guard.visit(admin, f"/admin/questionbank/question/{question.pk}/change/")

    guard.assert_clean()
    assert guard.pages_checked >= 7 * len(interviews)
