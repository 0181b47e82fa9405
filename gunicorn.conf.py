"""gunicorn settings for production (the Dockerfile and bench/ use this file)."""

import multiprocessing
import os

# PORT is also what the image's HEALTHCHECK asks; GUNICORN_BIND narrows the address.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers spend most of their time waiting on the database: two per core plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
# Load the app once in the master and fork workers from it. A worker recycled by max_requests then
# starts in milliseconds instead of importing Django, numpy, scipy and statsmodels again (seconds
# of CPU each time): bench/load.py held 1,000 interviewers at p99 59 ms with this, and missed at
# p99 176 ms without, on the same quiet machine. Loading opens no database connection (checked),
# so no socket is shared between workers. A new release restarts the process (the image's CMD);
# HUP alone would not re-import the code.
preload_app = True
max_requests_jitter = 200
# No access log: it printed each candidate-screen URL (a credential) once a second, and a path
# with %0A started a new line. The app writes one JSON line per request instead
# (config/request_log.py: token masked, control characters escaped, the client address).
accesslog = None
errorlog = "-"
# Whose X-Forwarded-Proto gunicorn believes: the same reverse proxies the app takes client
# addresses from (TRUSTED_PROXIES), unless set on its own.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"
)
