"""The production settings, with bench.urls (the app's URLs plus /hello/) and a scratch STATIC_ROOT
(the harness runs collectstatic there, never into the project's staticfiles/)."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
