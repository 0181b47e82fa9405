from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy on every response.

    Scripts only from our own origin: no inline scripts or handlers anywhere (htmx is configured
    through a <meta> tag and runs without eval), so an injected <script> or onerror= never runs.
    Styles too, except under /admin/: the Django admin's templates use style attributes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = _header(settings.CONTENT_SECURITY_POLICY)
        self.admin_policy = _header(settings.CONTENT_SECURITY_POLICY_ADMIN)

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy", self.admin_policy if admin else self.policy
        )
        return response


def _header(policy: dict[str, str]) -> str:
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on everything the app itself answers.

    Pages, PDFs, CSV and JSON exports hold candidates' personal data and interviewers' notes: no
    browser cache or shared proxy may keep them. The app's only public pages (the login form, with
    its CSRF token, and the candidate screen, whose URL is a credential) gain nothing from a cache
    either, so the rule has no exceptions. Static files never reach this middleware: WhiteNoise,
    above it, answers them with their own long-lived caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class SafeMethodsMiddleware:
    """405 for every method but GET, HEAD and POST, before any view sees it.

    The app and its admin speak GET and POST only, but Django's form views treat PUT as POST and
    the admin's views treat anything that is not POST as GET, so PUT, DELETE and TRACE answered
    200. Each of our views also declares its methods; this is the rule for the views we do not
    write. The REST API under /api/v1/ declares PATCH and the rest per endpoint, and answers 405
    itself for the others.
    """

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED and not request.path.startswith("/api/v1/"):
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


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
