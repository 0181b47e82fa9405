"""The settings a bare `pytest` runs under: the project's own, with the development defaults.

config/settings.py refuses to start without SECRET_KEY and ALLOWED_HOSTS unless DEBUG is on, and
production must keep it that way. The suite has always run with DEBUG=true in its environment
(as `make run` does), so this module sets that default before the settings read it. It goes into
`os.environ` rather than into a setting so that the `manage.py` subprocesses some tests start see
it too. pytest-django imports this module before any conftest, which would be too late.

A variable set in the environment still wins: `DEBUG=false pytest` fails as production would.
"""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: F403
