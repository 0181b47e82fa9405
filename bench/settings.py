"""Settings for the benchmarks: the app's own settings plus a bare "hello" view to compare against.

The hello URL lives only here, so the app's URLconf never carries a benchmark-only route. Everything
else (middleware, templates, database, static storage) is the production configuration, so the
hello view and the app's views are served the same way.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The production storage (whitenoise, compressed manifest) needs collectstatic; bench/live.py runs it
# into a scratch folder so a benchmark never writes into the project's staticfiles/.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "")
if not STATIC_ROOT:
    raise ImproperlyConfigured("BENCH_STATIC_ROOT must name a scratch folder for collectstatic.")
