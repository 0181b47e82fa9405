from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy on every response.

    Scripts only from our own origin: no inline scripts or handlers anywhere (htmx is configured
    through a <meta> tag and runs without eval), so an injected <script> or onerror= never runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{k} {v}" for k, v in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def navigation_only(view):
    """Answer only a top-level navigation: for GETs with a side effect (an audit row, an export).

    An <img>, <iframe>, <link> or fetch() from any page (a note, another site) can make a reader's
    browser send a GET with their cookies; its Fetch Metadata says so (Sec-Fetch-Dest: image,
    Sec-Fetch-Mode: no-cors ...). Those get a 403 before the view runs, so nothing is written.
    Requests without the headers (curl, browsers before 2023) pass: the headers are what a browser
    adds, and any browser that can be tricked into a cross-context request sends them.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        dest = request.headers.get("Sec-Fetch-Dest")
        mode = request.headers.get("Sec-Fetch-Mode")
        if (dest is not None and dest != "document") or (mode is not None and mode != "navigate"):
            return HttpResponseForbidden(
                "Open this link directly: it does not answer images, frames or scripts.",
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return wrapper
