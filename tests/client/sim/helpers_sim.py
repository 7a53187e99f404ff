"""Helpers of the simulation tests (imported by module name; pytest puts this directory on sys.path)."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from opg_client.sim.config import ScenarioConfig

OPG = 10**18

# Small agent counts: each run takes a few seconds.
SMALL = ScenarioConfig(
    seed=3, epochs=2, rounds_per_epoch=1, providers=(("honest", 2), ("lazy", 1)), requesters=1, jobs_per_round=4,
    watchers=0, delegators=0,
)

VOLATILE = ("elapsed_s", "chain")  # differ between runs by design (ports, wall time)


def stable(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if k not in VOLATILE}


def balance_slot(fork: Any, token: str, holder: str, balance: int) -> int:
    """Storage slot of `holder`'s ERC-20 balance (mapping at a small slot index), found by probing."""
    for index in range(16):
        slot = keccak(bytes.fromhex(holder[2:].rjust(64, "0")) + index.to_bytes(32, "big"))
        value = int(fork.rpc("eth_getStorageAt", [token, "0x" + slot.hex(), "latest"]), 16)
        if value == balance and balance > 0:
            return int.from_bytes(slot, "big")
    raise AssertionError("balance slot not found")
