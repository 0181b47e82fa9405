import json
import logging
import re
import time

logger = logging.getLogger("interview_desk.requests")
# The candidate-screen token is a credential: whoever reads a log must not be able to use it.
_SCREEN_TOKEN = re.compile(r"^/screen/[^/]+")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id.

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
                    "path": _SCREEN_TOKEN.sub("/screen/<token>", request.path),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                }
            )
        )
        return response
