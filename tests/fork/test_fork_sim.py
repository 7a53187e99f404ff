"""A simulation through Ape's fork network: `ethereum:opgsim-fork:foundry` (ape-config.yaml) is Ape's Anvil
forked from a local upstream chain (chain id 4242) that carries the deployed protocol and some history. Ape
starts the fork; the sim's agents act on it; Ape's own contract objects read the outcome."""

from __future__ import annotations

import contextlib

import pytest
from ape import networks, project

from opg_client import jobstate
from opg_client.localchain import free_port, rpc
from opg_client.sim.chain import ForkChain, start_upstream
from opg_client.sim.config import ScenarioConfig
from opg_client.sim.engine import run_scenario

CHAIN_ID = 4242  # the `opgsim` custom network in ape-config.yaml


@pytest.fixture
def upstream():
    chain = start_upstream(chain_id=CHAIN_ID)
    try:
        yield chain
    finally:
        chain.stop()


@contextlib.contextmanager
def ape_fork_of(upstream_url: str, monkeypatch: pytest.MonkeyPatch):
    """Connect Ape to `ethereum:opgsim-fork:foundry` with `upstream_url` as the upstream; Ape starts the fork's
    Anvil on a port of its own (APE_FOUNDRY_HOST names the test session's local Anvil, so it is unset here)."""
    monkeypatch.delenv("APE_FOUNDRY_HOST", raising=False)
    settings = {
        "host": f"http://127.0.0.1:{free_port()}",
        "fork": {"ethereum": {"opgsim": {"upstream_provider": upstream_url}}},
    }
    network = networks.ethereum.get_network("opgsim-fork")
    with network.use_provider("foundry", provider_settings=settings, disconnect_after=True) as provider:
        yield provider


def test_simulate__ape_fork_network__invariants_hold_and_ape_reads_the_outcome(upstream, monkeypatch):
    config = ScenarioConfig(seed=5, epochs=1, rounds_per_epoch=1, providers=(("honest", 1), ("lazy", 1)),
                            requesters=1, jobs_per_round=3, lazy_miss_bps=10_000, watchers=0, delegators=0)
    with ape_fork_of(upstream.url, monkeypatch) as provider:
        assert provider.chain_id == CHAIN_ID and provider.uri != upstream.url
        escrow = project.InferenceEscrow.at(upstream.manifest.address("InferenceEscrow"))
        history_jobs = escrow.jobCount()
        assert history_jobs == len(upstream.history["jobs"])  # the upstream's history is on the fork
        fork = ForkChain.attach(provider.uri, upstream.url)
        result = run_scenario(config, upstream_url=upstream.url, manifest=upstream.manifest, fork=fork)
        assert result.ok, [i for i in result.invariants if not i["ok"]]
        assert result.metrics["chain"]["fork_url"] == provider.uri
        assert escrow.jobCount() == history_jobs + 3
        logs = provider.web3.eth.get_logs({"address": escrow.address, "fromBlock": upstream.history["block"] + 1,
                                           "toBlock": "latest", "topics": ["0x" + jobstate.JOB_TOPICS[0].hex()]})
        created = [int.from_bytes(bytes(log["topics"][1]), "big") for log in logs]  # JobCreated's jobId topic
        assert [jobstate.sequence_of(j) for j in created] == list(range(history_jobs + 1, history_jobs + 4))
        for job_id in created:
            assert escrow.jobStatus(job_id) == 4  # Closed
        lazy = next(p for p in result.metrics["providers"] if p["strategy"] == "lazy")
        staking = project.ProviderStaking.at(upstream.manifest.address("ProviderStaking"))
        active, _locked, _unbonding, _unlock = staking.stakeOf(lazy["address"])
        assert active == config.stake - lazy["slashed_wei"] and (lazy["claimed"] == 0 or lazy["slashed_wei"] > 0)
    assert int(rpc(upstream.url, "eth_blockNumber"), 16) == upstream.history["block"]  # upstream untouched
