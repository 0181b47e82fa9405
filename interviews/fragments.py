"""The live view's hottest htmx answer, written out instead of rendered.

A notes autosave is sent every few seconds while an interviewer types, and its answer is four
small out-of-band elements. Rendering them from `templates/interviews/live.html#notes-saved` cost a
quarter of the request's CPU beyond the session and user reads; this string costs almost nothing
(bench/live.py, README "Performance"). The template keeps the partial, for reading and for
tests/interviews/test_fragments.py, which holds the two to the same markup.
"""

from django.utils import timezone
from django.utils.html import format_html

from interviews.models import PlannedQuestion


def notes_saved(item: PlannedQuestion) -> str:
    """live.html#notes-saved: the save status, the new notes version, the evidence warning, and
    an emptied conflict box."""
    return format_html(
        '<p class="save-status" id="save-status" data-state="saved" hx-swap-oob="true">'
        "Saved at {}</p>"
        '<input type="hidden" name="version" id="notes-version-{}" value="{}"'
        ' hx-swap-oob="true">'
        '<p id="evidence-{}" class="evidence-needed" role="alert" hx-swap-oob="true"{}>'
        "A score of {} needs a note: write down what you saw before you submit.</p>"
        '<div id="conflict-{}" hx-swap-oob="true"></div>',
        timezone.localtime().strftime("%H:%M:%S"),
        item.code,
        item.notes_version,
        item.code,
        "" if item.needs_evidence else " hidden",
        item.score,
        item.code,
    )
