"""Who is calling: an API key (`Authorization: Bearer idk_…`) or a logged-in user's session.

A key acts as the hiring manager who made it, within its scope, and only while that person is
still an active hiring manager. A session user sees through the API what the app shows them, and
writes only as a hiring manager, with the CSRF token (django-ninja's session auth checks it on
every unsafe method, since API views are exempt from the CSRF middleware).
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from redis.exceptions import RedisError

from accounts import roles
from api.models import ApiKey

logger = logging.getLogger(__name__)


class RateLimited(HttpError):
    def __init__(self, wait: int):
        super().__init__(429, f"Too many requests: try again in {wait} s.")
        self.wait = wait


@dataclass(frozen=True)
class Caller:
    user: object
    key: ApiKey | None

    @property
    def is_manager(self) -> bool:
        return self.key is not None or roles.has_role(self.user, roles.HIRING_MANAGERS)

    @property
    def can_write(self) -> bool:
        if self.key is not None:
            return self.key.can_write
        return roles.has_role(self.user, roles.HIRING_MANAGERS)

    @property
    def idempotency_scope(self) -> str:
        return f"key:{self.key.pk}" if self.key else f"user:{self.user.pk}"

    @property
    def label(self) -> str:
        return f"API key {self.key.prefix}" if self.key else "API (session)"


class KeyAuth(HttpBearer):
    """`write=True` for operations that change data: a read key is refused (403) here, before
    the body is even parsed, so the answer is about the key and never about the input."""

    openapi_scheme = "bearer"

    def __init__(self, *, write: bool = False):
        super().__init__()
        self.write = write

    def authenticate(self, request, token: str) -> Caller | None:
        key = ApiKey.authenticate(token)
        if key is None or not roles.has_role(key.user, roles.HIRING_MANAGERS):
            return None
        wait = key.count_call(settings.API_RATE_LIMIT, settings.API_RATE_WINDOW)
        if wait:
            raise RateLimited(wait)
        caller = Caller(user=key.user, key=key)
        if self.write and not caller.can_write:
            request.auth = caller  # audited like any other refused call
            raise HttpError(403, "This API key can only read.")
        return caller


class SessionAuth(APIKeyCookie):
    """The browser's session. CSRF is checked by APIKeyCookie (csrf=True) before this runs."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, write: bool = False):
        super().__init__(csrf=True)
        self.write = write

    def __call__(self, request):
        # No session: not this scheme's business (401 follows), and no CSRF refusal (403) for an
        # integration that merely forgot its key.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key) -> Caller | None:
        _count_session_call(request.user.pk)
        caller = Caller(user=request.user, key=None)
        if self.write and not caller.can_write:
            request.auth = caller
            raise HttpError(403, "Only hiring managers change data through the API.")
        return caller


def _count_session_call(user_id: int) -> None:
    """The same fixed window for a person in a browser, counted in the cache: a person is not an
    integration, and a per-process count (no REDIS_URL) is close enough to stop a runaway script.
    A shared cache that does not answer counts nothing: the call goes through."""
    window_seconds = settings.API_RATE_WINDOW
    now = time.time()
    window = int(now // window_seconds)
    name = f"api-rate:{user_id}:{window}"
    try:
        cache.add(name, 0, timeout=window_seconds + 1)
        calls = cache.incr(name)
    except ValueError:  # expired between add and incr
        calls = 1
    except RedisError as error:
        logger.warning("The cache did not answer (%s); the call is not counted.", error)
        return
    if calls > settings.API_RATE_LIMIT:
        raise RateLimited(max(1, int((window + 1) * window_seconds - now) + 1))


AUTH = [KeyAuth(), SessionAuth()]
WRITE_AUTH = [KeyAuth(write=True), SessionAuth(write=True)]
