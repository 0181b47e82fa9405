"""Do the plain-SQL session and user reads (accounts/sessions.py, accounts/backends.py) still pay?

    .venv/bin/python bench/auth_reads.py [--repeats 5] [--postgres]

In process, alternating in each repetition: the two reads alone (a session load and get_user()),
ours and Django's; then a whole logged-in GET /hello/user/ through the test client with our
session engine and backend and with Django's. Medians and every run in microseconds; last line:
RESULT plain-SQL reads save <µs> per logged-in request (<share> of it)
"""

import statistics
import time

from harness import main, options, scratch


def scenario() -> None:
    parser = options(__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with scratch("auth", args):
        from django.contrib.auth.backends import ModelBackend as DjangoBackend
        from django.contrib.auth.models import User
        from django.contrib.sessions.backends.db import SessionStore as DjangoStore
        from django.test import Client
        from django.test.utils import override_settings

        from accounts.backends import ModelBackend as OurBackend
        from accounts.sessions import SessionStore as OurStore

        user = User.objects.create_user("alice", "alice@example.com")
        session = DjangoStore()
        session["_auth_user_id"] = str(user.pk)
        session.create()

        def reads(store, backend, n=3000) -> float:
            backend, started = backend(), time.perf_counter()
            for _ in range(n):
                store(session.session_key).load()
                backend.get_user(user.pk)
            return (time.perf_counter() - started) / n * 1e6

        def request(engine: str, backend: str, n=500) -> float:
            with override_settings(SESSION_ENGINE=engine, AUTHENTICATION_BACKENDS=[backend]):
                client = Client()
                client.force_login(user)
                for _ in range(50):
                    client.get("/hello/user/")
                started = time.perf_counter()
                for _ in range(n):
                    assert client.get("/hello/user/").status_code == 200
                return (time.perf_counter() - started) / n * 1e6

        figures = {k: [] for k in ("reads ours", "reads Django", "request ours", "request Django")}
        for _ in range(args.repeats):
            figures["reads ours"].append(reads(OurStore, OurBackend))
            figures["reads Django"].append(reads(DjangoStore, DjangoBackend))
            figures["request ours"].append(
                request("accounts.sessions", "accounts.backends.ModelBackend")
            )
            figures["request Django"].append(
                request(
                    "django.contrib.sessions.backends.db",
                    "django.contrib.auth.backends.ModelBackend",
                )
            )
    medians = {k: statistics.median(v) for k, v in figures.items()}
    for name, runs in figures.items():
        print(f"{name:15} median {medians[name]:7.0f} µs   runs {[round(r) for r in runs]}")
    saved = medians["request Django"] - medians["request ours"]
    print(
        f"RESULT plain-SQL reads save {saved:.0f} µs per logged-in request ({saved / medians['request Django']:.0%} of it)"
    )


if __name__ == "__main__":
    main(scenario)
