"""The live view and its htmx answers, rendered from the macros of one Jinja2 template.

templates/jinja2/interviews/live.html holds the live view as named partials, one macro each:
`page` (the body, which templates/interviews/live.html puts in the site layout), and the answers
to the autosaves, the suggestion and a notes conflict. config/jinja.py says why this page is
rendered with Jinja2.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.backends.utils import csrf_input
from markupsafe import Markup

TEMPLATE = "interviews/live.html"


def partial(request: HttpRequest, name: str, context: dict) -> Markup:
    """The macro `name` rendered with `context`, as Django's Jinja2 backend renders a template:
    with the request and its CSRF field. The field is made once: the backend's own lazy field
    masks the token again at each of the page's nine forms."""
    template = engines["jinja2"].env.get_template(TEMPLATE)
    field = csrf_input(request)  # a SafeString: Jinja2 does not escape it again
    module = template.make_module({**context, "request": request, "csrf_input": field})
    return getattr(module, name)()


def page(request: HttpRequest, context: dict) -> HttpResponse:
    """The whole live view: its body in the site layout."""
    title = f"{context['interview'].candidate.name} · Interview Desk"
    layout = {**context, "title": title, "body": partial(request, "page", context)}
    return render(request, TEMPLATE, layout)


def answer(request: HttpRequest, name: str, context: dict, status: int = 200) -> HttpResponse:
    """An htmx answer: one macro alone."""
    return HttpResponse(partial(request, name, context), status=status)
