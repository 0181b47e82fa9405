"""The pages rendered with Jinja2, and their htmx answers: the live view and the dashboard.

Each such page is one template under templates/jinja2/ whose named partials are macros: `title`
and `body` (which templates/jinja2/layout.html puts in the site layout), and one macro for
each htmx answer. A macro hides a context variable of the same name: name them apart (the
dashboard's Paginator page is `page`, so the body is `body`). config/jinja.py says why these pages
are rendered with Jinja2.
"""

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test.signals import template_rendered
from django.utils.html import format_html
from markupsafe import Markup

from accounts.context_processors import user_roles


class CsrfField:
    """`{{ csrf_input }}`: the CSRF field, its token masked once, when first printed. The backend's
    own lazy field masks the token again at each form of a page; an eager one would ask for the
    token (and renew the CSRF cookie) in answers that have no form, such as every autosave."""

    def __init__(self, request: HttpRequest):
        self.request, self._token = request, None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = get_token(self.request)
        return self._token

    def __html__(self) -> str:
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', self.token
        )


def _macros(request: HttpRequest, template: str, context: dict, field: CsrfField):
    """The template's macros, bound to `context`, the request and the CSRF field (as Django's
    Jinja2 backend renders a template)."""
    jinja_template = engines["jinja2"].env.get_template(template)
    return jinja_template.make_module({**context, "request": request, "csrf_input": field})


def partial(request: HttpRequest, template: str, name: str, context: dict) -> Markup:
    """The macro `name` of `template`, rendered with `context`."""
    return getattr(_macros(request, template, context, CsrfField(request)), name)()


def page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page: its body in the site layout (templates/jinja2/layout.html, base.html for
    Jinja2), one CSRF token for both. `context` also reaches the layout, and the test client's
    response.context: the signal Django's own engine sends when tests instrument it is sent here.
    Printing the layout with Django's engine cost 0.8 ms of the dashboard's 5.5 (in process)."""
    field = CsrfField(request)
    macros = _macros(request, template, context, field)
    return HttpResponse(in_layout(request, macros.title(), macros.body(), context, field))


def in_layout(request: HttpRequest, title: str, body: str, context: dict, field: CsrfField) -> str:
    """`body` in the site layout, with what Django's context processors give base.html."""
    layout = {
        **user_roles(request),
        "user": request.user,
        "messages": get_messages(request),
        **context,
        "request": request,
        "csrf_input": field,
        "title": title,
        "body": body,
    }
    site = engines["jinja2"].env.get_template("layout.html")
    template_rendered.send(sender=site, template=site, context=layout)
    return site.render(layout)


def answer(
    request: HttpRequest, template: str, name: str, context: dict, status: int = 200
) -> HttpResponse:
    """An htmx answer: one macro alone."""
    return HttpResponse(partial(request, template, name, context), status=status)
