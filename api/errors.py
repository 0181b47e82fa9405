"""One error body for every refusal: {"error": {"code", "message", "fields"}}."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _field_name(loc) -> str:
    """["body", "payload", "name"] → "name"; ["query", "limit"] → "limit"; nested → "a.0.b"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    if parts and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _message(error: dict) -> str:
    message = error.get("msg", "Invalid value.")
    return message.removeprefix("Value error, ")


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(
            request, body(exc.code, exc.message, exc.fields), status=exc.status
        )

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        fields = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), _message(error))
        message = "The request has invalid fields: " + ", ".join(sorted(fields))
        return api.create_response(request, body("invalid", message, fields), status=400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(
            request,
            body("unauthenticated", "Send a valid API key: Authorization: Bearer idk_…"),
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = CODES.get(exc.status_code, "error")
        response = api.create_response(request, body(code, str(exc)), status=exc.status_code)
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(exc.wait)
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, body("not_found", "No such resource."), status=404)
