"""`opg simulate`: agent-based economic simulations of the protocol on an Anvil fork.

    from opg_client.sim import ScenarioConfig, simulate
    summary = simulate(ScenarioConfig(seed=7, epochs=2), out_dir="sim-out")   # raises InvariantBroken

Modules: `config` (scenario + flag parsers), `chain` (upstream chain with history, the fork, time travel,
impersonation), `agents` (provider strategies, requesters, keeper, researcher), `engine` (the epoch loop),
`metrics`, `invariants` (named error), `report` (JSON, PNG charts, sweep CSV/JSON), `run` (the entry point).
"""

from typing import Any

from opg_client.sim.config import ScenarioConfig, ScenarioError, parse_mix, parse_sweep
from opg_client.sim.invariants import InvariantBroken


def simulate(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """`opg_client.sim.run.simulate` (imported on first use: the agents pull in the runtime and web3)."""
    from opg_client.sim.run import simulate as run

    return run(*args, **kwargs)


__all__ = ["InvariantBroken", "ScenarioConfig", "ScenarioError", "parse_mix", "parse_sweep", "simulate"]
