"""The pages rendered with Jinja2, and their htmx answers: the live view and the dashboard.

Each such page is one template under templates/jinja2/ whose named partials are macros: `title`
and `body` (which templates/jinja_page.html puts in the site layout), and one macro for
each htmx answer. config/jinja.py says why these pages are rendered with Jinja2.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.backends.utils import csrf_input
from markupsafe import Markup


def partial(request: HttpRequest, template: str, name: str, context: dict) -> Markup:
    """The macro `name` of `template`, rendered with `context` as Django's Jinja2 backend renders
    a template: with the request and its CSRF field. The field is made once: the backend's own
    lazy field masks the token again at each form of the page."""
    jinja_template = engines["jinja2"].env.get_template(template)
    field = csrf_input(request)  # a SafeString: Jinja2 does not escape it again
    module = jinja_template.make_module({**context, "request": request, "csrf_input": field})
    return getattr(module, name)()


def page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page: its body in the site layout. `context` also reaches the layout (and the
    test client's response.context)."""
    title, body = (partial(request, template, name, context) for name in ("title", "body"))
    return render(request, "jinja_page.html", {**context, "title": title, "body": body})


def answer(
    request: HttpRequest, template: str, name: str, context: dict, status: int = 200
) -> HttpResponse:
    """An htmx answer: one macro alone."""
    return HttpResponse(partial(request, template, name, context), status=status)
