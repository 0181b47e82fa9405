"""PDFs made in the background: a request asks, the task worker renders, the request's page waits.

`ask` is what a PDF view calls with the page's HTML: it answers the Printout for that person and
that content, queueing a render (interviews/tasks.py) when there is none yet, when the last one
failed, or when one went quiet (a worker stopped mid-way). `poll` is the waiting page's look at
it. `render` is the task's body. The views (interviews/views/files.py) serve the PDF when it is
made, and a page that waits for it until then.
"""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews import reports
from interviews.models import Printout

logger = logging.getLogger(__name__)

# A worker makes one PDF at a time: one person with more than this many waiting would only make
# everyone else's wait (and the webhooks sharing the queue) longer.
PENDING_LIMIT = 3


class Busy(Exception):
    """The person has PENDING_LIMIT PDFs queued and not made yet."""


def digest(*, user_id: int, base_url: str, html: str) -> str:
    return hashlib.sha256(f"{user_id}\n{base_url}\n{html}".encode()).hexdigest()


def ask(*, user, candidate, path: str, html: str, base_url: str) -> Printout:
    """The printout of `html` for `user`, queued for the worker unless it is made or under way
    (one that failed is queued again: the person asked again; the waiting page's poll does not).
    Busy if it is new and the person has PENDING_LIMIT waiting already."""
    key = digest(user_id=user.pk, base_url=base_url, html=html)
    printout = Printout.objects.defer("html").filter(digest=key).first()
    if printout is None:
        if Printout.objects.pending().filter(requested_by=user).count() >= PENDING_LIMIT:
            raise Busy
        fields = dict(candidate=candidate, requested_by=user, path=path, base_url=base_url)
        try:
            with transaction.atomic():
                printout = Printout.objects.create(digest=key, html=html, **fields)
        except IntegrityError:  # asked twice at once: the other request queued it
            return Printout.objects.defer("html").get(digest=key)
        _queue(printout)
    elif printout.failed or printout.quiet:
        _queue_again(printout)
    return printout


def poll(*, user, code) -> Printout | None:
    """The printout `code` if `user` asked for it, queued again if it went quiet."""
    printout = Printout.objects.defer("html").filter(code=code, requested_by=user).first()
    if printout is not None and printout.quiet:
        _queue_again(printout)
    return printout


def _queue_again(printout: Printout) -> None:
    printout.failed, printout.queued = False, timezone.now()
    Printout.objects.filter(pk=printout.pk).update(failed=False, queued=printout.queued)
    _queue(printout)


def _queue(printout: Printout) -> None:
    from interviews.tasks import render_printout  # the tasks module imports this one

    if render_printout.enqueue(printout.pk).is_finished:  # an in-line backend (the tests')
        printout.refresh_from_db(fields=["pdf", "failed"])


def render(printout_id: int) -> str:
    """Make the PDF of a queued printout; "gone" if it was erased or made meanwhile."""
    printout = Printout.objects.filter(pk=printout_id, pdf=None).only("html", "base_url").first()
    if printout is None:
        return "gone"
    try:
        pdf = reports.render_pdf(printout.html, base_url=printout.base_url)
    except Exception:
        logger.exception("The PDF of printout %s could not be made", printout_id)
        Printout.objects.filter(pk=printout_id).update(failed=True)
        return "failed"
    # The HTML is no longer needed; the PDF is kept until the row expires.
    Printout.objects.filter(pk=printout_id).update(pdf=pdf, html="", failed=False)
    return "made"
