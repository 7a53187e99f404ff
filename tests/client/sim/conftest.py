"""Simulation fixtures: one upstream chain per session (the suite deployed with governance handed to the
timelock, the digits model registered, a few jobs settled), written to a manifest so tests can fork it through
`--fork-url` + `--manifest` as a tester would. Every run forks it afresh, so tests never share fork state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opg_client.manifest import write_manifest
from opg_client.sim.chain import Upstream, start_upstream


@pytest.fixture(scope="session")
def sim_upstream() -> Iterator[Upstream]:
    upstream = start_upstream()
    try:
        yield upstream
    finally:
        upstream.stop()


@pytest.fixture(scope="session")
def upstream_manifest(sim_upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_manifest(sim_upstream.manifest, tmp_path_factory.mktemp("sim-upstream") / "upstream.json")
