import pytest
from django.core.management import call_command

from accounts import roles
from tests.conftest import make_user


@pytest.fixture
def history(seed_bank, settings):
    """A small synthetic history (seed_analytics_demo), with the demo interviewer among the panel."""
    settings.DEBUG = True
    make_user(roles.INTERVIEWERS, "interviewer")
    call_command("seed_analytics_demo", "--candidates", "30", verbosity=0)
    return seed_bank
