"""The world the security tests share: see helpers.build_world."""

import pytest

from .helpers import World, build_world


@pytest.fixture
def make_world(seed_bank, make_interview):
    def make(*, panel_submitted: bool = False) -> World:
        return build_world(seed_bank, make_interview, panel_submitted=panel_submitted)

    return make


@pytest.fixture
def world(make_world) -> World:
    return make_world()
