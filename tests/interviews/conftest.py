"""Objects the interviews app's tests share; users, the seed bank and `make_interview` are in
tests/conftest.py.

No `__init__.py` here on purpose: as a package this directory would be imported as `interviews`,
the Django app's own name.
"""

import pytest


@pytest.fixture
def interview(make_interview):
    """A planned, not yet started Senior interview run by `interviewer`."""
    return make_interview()
