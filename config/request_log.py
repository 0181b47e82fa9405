import json
import logging
import re
import time

from accounts.client import client_address

logger = logging.getLogger("interview_desk.requests")
# The candidate-screen token is a credential: whoever reads a log must not be able to use it.
_SCREEN_TOKEN = re.compile(r"^/screen/[^/]+")


# A decoded path may hold any character: %0A must not start a forged line in a log, nor an escape
# sequence recolour a terminal. C0, DEL, C1 and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def redact(path: str) -> str:
    """The path as a log may show it: no screen token, control characters escaped as \\n etc."""
    path = _SCREEN_TOKEN.sub("/screen/<token>", path)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], path)


class ErrorLogFilter(logging.Filter):
    """Django's own error log ("Internal Server Error: <path>" and a traceback), made safe to keep.

    The path loses its screen token, as in the request log. An error answered 503 (the database
    is unavailable: `config.errors.server_error` decides) logs one line, not a traceback: while
    PostgreSQL restarts every request fails that same way, and a page of identical tracebacks per
    request buries whatever else went wrong.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if record.exc_info and getattr(record, "status_code", None) == 503:
            error = record.exc_info[1]
            first_line = str(error).strip().partition("\n")[0]
            record.args = (record.getMessage(), type(error).__name__, first_line)
            record.msg = "%s (database unavailable, %s: %s)"
            record.exc_info = record.exc_text = None
        return True


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id, client address
    (the one the login throttle uses: accounts.client, TRUSTED_PROXIES).

    Never the query string, form data or anything typed: searches carry candidate names and
    autosaves carry notes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        # Only a user the request already loaded: logging must not cost a session query.
        user = getattr(request, "_cached_user", None)
        logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": redact(request.path),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "client": client_address(request),
                }
            )
        )
        return response
