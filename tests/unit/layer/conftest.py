"""Fixture of the FixedPointLayer library tests: the harness (helpers in layer_helpers.py)."""

import pytest


@pytest.fixture(scope="module")
def harness(project, deployer):
    return deployer.deploy(project.FixedPointLayerHarness)
