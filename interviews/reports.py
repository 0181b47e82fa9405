"""Reports of a scorecard: the criteria chart, CSV and JSON exports, PDF rendering, file names."""

import csv
import functools
import io
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

from interviews.models import Interview, PlannedQuestion, Score
from interviews.summary import LEVEL_LABELS, NOT_ASSESSED, Summary
from questionbank.rendering import html_to_text

ROW_HEIGHT, GROUP_HEIGHT, AXIS_HEIGHT = 22, 24, 34
BAR_SPACE, VALUE_SPACE = 360, 110
SCALE_CAPTION = "1 No evidence · 2 Partial · 3 Solid · 4 Exceptional"
# DejaVu Sans at 12 px averages under 7 px a character; labels are measured with this, never clipped.
CHAR_WIDTH, LABEL_CHARS = 7.0, 40
STATUS_COLOURS = {
    "strong": "#116329",
    "meets": "#2f7d32",
    "partial": "#9a6700",
    "not_met": "#b3261e",
}


def _label_lines(name: str) -> list[str]:
    """A criterion name in lines of at most LABEL_CHARS, broken between words."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word[:LABEL_CHARS])
    return lines or [""]


def criteria_chart(summary: Summary) -> SafeString:
    """A horizontal bar per assessed criterion on the 1 to 4 scale, grouped by rubric level, as SVG.

    The axis starts at 1 (No evidence), the lowest score there is; each bar runs from 1 to the
    criterion's mean, with a dot at the mean so a mean of exactly 1 still shows. The label column
    and the right margin are sized from the longest label, so no text is ever cut off, on the page,
    in the HTML report or in the PDF. Drawn on the server so all three show the same chart. Every
    label is escaped.
    """
    rows = [c for c in summary.criteria if c.status != NOT_ASSESSED]
    if not rows:
        return format_html('<p class="meta">{}</p>', "No criterion has evidence yet.")
    labels = [_label_lines(c.name) for c in rows]
    label_width = CHAR_WIDTH * max(len(line) for lines in labels for line in lines) + 12
    value_width = CHAR_WIDTH * max(len(f"{c.mean:g} ({c.status_label})") for c in rows) + 12
    left = max(label_width, CHAR_WIDTH * max(len(c.group) for c in rows) + 12)
    width = round(
        max(
            left + BAR_SPACE + max(value_width, VALUE_SPACE), left + CHAR_WIDTH * len(SCALE_CAPTION)
        )
    )

    def x(score: float) -> float:
        return round(left + BAR_SPACE * (score - 1) / 3, 1)

    parts, y, group = [], 0, None
    for c, lines in zip(rows, labels, strict=True):
        if c.group != group:
            group = c.group
            parts.append(
                format_html('<text x="2" y="{}" font-weight="bold">{}</text>', y + 16, group)
            )
            y += GROUP_HEIGHT
        height = ROW_HEIGHT + 14 * (len(lines) - 1)
        name = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((left - 8, 0 if i == 0 else 14, line) for i, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<g transform="translate(0,{})"><text y="15" text-anchor="end">{}</text>'
                '<rect x="{}" y="4" width="{}" height="12" fill="{}"></rect>'
                '<circle cx="{}" cy="10" r="5" fill="{}"></circle>'
                '<text x="{}" y="15">{} ({})</text></g>',
                y,
                name,
                x(1),
                x(c.mean) - x(1),
                STATUS_COLOURS[c.status],
                x(c.mean),
                STATUS_COLOURS[c.status],
                x(c.mean) + 9,
                f"{c.mean:g}",
                c.status_label,
            )
        )
        y += height
    ticks = format_html_join(
        "",
        '<line x1="{x}" x2="{x}" y1="0" y2="{h}" stroke="#d0d7de"></line>'
        '<text x="{x}" y="{t}" text-anchor="middle">{n}</text>',
        ({"x": x(n), "h": y, "t": y + 16, "n": n} for n in range(1, 5)),
    )
    height = y + AXIS_HEIGHT
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg"'
        ' viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-size="12" font-family="DejaVu Sans, sans-serif">'
        '<title id="chart-title">Mean score per assessed criterion, by rubric level, on the 1 to 4 scale</title>'
        '{ticks}{bars}<text x="{left}" y="{axis}" fill="#4a5563">{caption}</text></svg>',
        w=width,
        h=height,
        ticks=ticks,
        bars=SafeString("".join(parts)),
        left=left,
        caption=SCALE_CAPTION,
        axis=height - 8,
    )


@dataclass(frozen=True)
class SectionFeedback:
    """What a candidate-safe report says about one section: no scores, and only the notes the
    interviewer marked for the candidate."""

    section: str
    strengths: tuple[str, ...]
    to_work_on: tuple[str, ...]
    notes: tuple[str, ...]


def bank_order(item: PlannedQuestion) -> tuple[int, int, int]:
    """Where the question stands in its bank (section, then number), whatever order it was asked in."""
    numbers = [int(n) for n in re.findall(r"\d+", item.snapshot.get("key", ""))[:2]]
    section, number = ([*numbers, 0, 0])[:2]
    return section, number, item.position


def candidate_feedback(items: list[PlannedQuestion]) -> list[SectionFeedback]:
    """Per section, in bank order: what went well, what to work on, and the shared notes."""
    sections: OrderedDict[str, dict] = OrderedDict()
    for item in sorted(items, key=bank_order):
        if item.score in (None, Score.NOT_ASSESSED):
            continue
        entry = sections.setdefault(
            item.snapshot["section"], {"strengths": [], "to_work_on": [], "notes": []}
        )
        # Text, not HTML: the template escapes it once (strip_tags alone left "&amp;" to be escaped again).
        topic = html_to_text(item.snapshot["prompt_html"])
        (entry["strengths"] if item.score >= Score.SOLID else entry["to_work_on"]).append(topic)
        if item.notes.strip() and item.notes_shared:
            entry["notes"].append(item.notes)
    return [
        SectionFeedback(
            section=name,
            strengths=tuple(e["strengths"]),
            to_work_on=tuple(e["to_work_on"]),
            notes=tuple(e["notes"]),
        )
        for name, e in sections.items()
    ]


def interview_date(interview: Interview) -> str:
    """The day of the interview where it took place (TIME_ZONE), as the report shows it, not in UTC."""
    return timezone.localdate(interview.started_at or interview.scheduled_for).isoformat()


def file_name(interview: Interview, kind: str, extension: str) -> str:
    """candidate_date_level_kind.ext, in safe characters only."""
    name = slugify(interview.candidate.name)[:40] or "candidate"
    date = interview_date(interview)
    level = LEVEL_LABELS.get(interview.target_level, "level").lower()
    return re.sub(r"[^A-Za-z0-9._-]", "-", f"{name}_{date}_{level}_{kind}.{extension}")


AUDIT_CSV_LIMIT = 100_000


def audit_csv(events) -> str:
    """The audit log as CSV: described events (see `AuditEvent.describe`), newest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "user", "action", "about", "candidate", "candidate_code", "detail"])
    for e in events:
        writer.writerow(
            [
                neutralise(e.at.isoformat()),
                neutralise(e.actor_name),
                e.get_action_display(),
                neutralise(e.subject),
                neutralise(e.candidate_name),
                e.candidate_code or "",
                neutralise(e.detail),
            ]
        )
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def scorecard_csv(interview: Interview, items: list[PlannedQuestion]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "candidate",
            "ats_id",
            "position",
            "target_level",
            "interview_date",
            "interviewers",
            "position_in_plan",
            "question",
            "question_key",
            "section",
            "question_level",
            "criteria",
            "score",
            "score_label",
            "hint_given",
            "key_points_covered",
            "key_points_total",
            "notes",
            "notes_shared",
        ]
    )
    interviewers = "; ".join(u.get_full_name() or u.username for u in interview.interviewers.all())
    for item in items:
        snapshot = item.snapshot
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    interview.candidate.name,
                    interview.candidate.external_id,
                    interview.position,
                    interview.get_target_level_display(),
                    interview_date(interview),
                    interviewers,
                    item.position + 1,
                    snapshot["number"],
                    snapshot["key"],
                    snapshot["section"],
                    LEVEL_LABELS.get(snapshot["level"], ""),
                    "; ".join(c["name"] for c in snapshot["criteria"]),
                    "" if item.score is None else item.score,
                    item.get_score_display() if item.score is not None else "Not scored",
                    "yes" if item.hint_given else "no",
                    len(item.covered_points),
                    len(snapshot["key_points"]),
                    item.notes,
                    "yes" if item.notes_shared else "no",
                )
            ]
        )
    return out.getvalue()


def scorecard_json(
    interview: Interview, items: list[PlannedQuestion], summary: Summary | None
) -> dict:
    return {
        "candidate": {
            "name": interview.candidate.name,
            "email": interview.candidate.email,
            "ats_id": interview.candidate.external_id,
        },
        "interview": {
            "id": str(interview.code),
            "position": interview.position,
            "target_level": interview.get_target_level_display(),
            "status": interview.status,
            "scheduled_for": interview.scheduled_for.isoformat(),
            "started_at": interview.started_at and interview.started_at.isoformat(),
            "ended_at": interview.ended_at and interview.ended_at.isoformat(),
            "submitted_at": interview.submitted_at and interview.submitted_at.isoformat(),
            "interviewers": [u.get_full_name() or u.username for u in interview.interviewers.all()],
            "recommendation": interview.recommendation,
            "rationale": interview.rationale,
        },
        "questions": [
            {
                "position": item.position + 1,
                "number": item.snapshot["number"],
                "label": item.pinned.label,
                "title": item.pinned.title or item.pinned.label,
                "key": item.snapshot["key"],
                "section": item.snapshot["section"],
                "level": LEVEL_LABELS.get(item.snapshot["level"]),
                "criteria": [c["key"] for c in item.snapshot["criteria"]],
                "score": item.score,
                "hint_given": item.hint_given,
                "key_points_covered": item.covered_points,
                "notes": item.notes,
                "notes_shared": item.notes_shared,
            }
            for item in items
        ],
        "summary": summary.as_dict() if summary is not None else None,
    }


def static_file(url: str) -> str | None:
    """The file on disk behind a /static/ URL, or None.

    Through the static storage first: in production its names are hashed (app.<hash>.css) and
    only the collected files and the manifest know them. The finders, which know the source
    names, serve development, where nothing is collected.
    """
    prefix = urlsplit(settings.STATIC_URL).path
    prefix = prefix if prefix.startswith("/") else "/" + prefix
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    try:
        stored = staticfiles_storage.path(name)
    except (NotImplementedError, SuspiciousFileOperation):
        # Storage.path raises NotImplementedError for storages with no local files (S3 and the
        # like), SuspiciousFileOperation for a name that leaves STATIC_ROOT: use the finders.
        stored = None
    if stored and os.path.isfile(stored):
        return stored
    try:
        return finders.find(name)
    except SuspiciousFileOperation:
        return None


def _static_fetcher():
    """A WeasyPrint fetcher that reads /static/ files from disk and fetches nothing else.

    A PDF must never make a network request: not to the app itself, nor to anything a user's
    Markdown pointed at.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if path := static_file(url):
                with open(path, "rb") as f:
                    body = f.read()
                content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
            raise ValueError(f"not fetched while rendering a PDF: {url}")

    return StaticFetcher(allowed_protocols={"http", "https", "data"})


# How the templates link a stylesheet (base.html, report.html, debrief.html).
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of a page. Its static stylesheets are parsed once per process (and file version),
    not for every PDF: parsing app.css and report.css was a seventh of a PDF's CPU. WeasyPrint
    is given them in the page's order as user stylesheets, and their links are taken out of the
    page; with no author stylesheet left, the cascade is the one the links gave (the report's
    pages compared pixel for pixel)."""
    # Imported here: WeasyPrint needs Pango, which only the report views require.
    from weasyprint import HTML

    sheets = []

    def parsed(link: re.Match) -> str:
        path = static_file(urljoin(base_url, unescape(link[1])))
        if path is None:
            return link[0]  # WeasyPrint's fetcher refuses it, and says so
        sheets.append(_stylesheet(path, os.stat(path).st_mtime_ns))
        return ""

    html = _STYLESHEET_LINK.sub(parsed, html)
    document = HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher())
    return document.write_pdf(stylesheets=sheets)


@functools.lru_cache(maxsize=16)
def _stylesheet(path: str, version: int):
    """A static stylesheet parsed for WeasyPrint; `version` (its mtime) makes an edit count."""
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=_static_fetcher())
