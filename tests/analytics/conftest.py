import pytest
from django.core.management import call_command


@pytest.fixture
def history(seed_bank, settings, interviewer):
    """A small synthetic history (seed_analytics_demo), with the demo interviewer among the panel."""
    settings.DEBUG = True
    call_command("seed_analytics_demo", "--candidates", "30", verbosity=0)
    return seed_bank
