"""Helpers of the CLI tests (imported by module name; pytest puts this directory on sys.path)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from opg_client.chain import OpgClient
from opg_client.cli import cli
from opg_client.localchain import LocalChain

OPG = 10**18
PRICE = 2 * OPG
MIN_STAKE = 100 * OPG
WINDOW = 60
UNBONDING = 86_400
EPOCH = 3_600


@dataclass(frozen=True)
class CliNet:
    chain: LocalChain
    manifest_path: Path
    model_id: int
    store: Path  # model store holding the shipped digits model

    @property
    def url(self) -> str:
        return self.chain.url


def run_cli(net: CliNet, *args: str, manifest: Path | None = None) -> Result:
    runner = CliRunner(mix_stderr=False, env={"OPG_MODEL_STORE": str(net.store), "OPG_PRIVATE_KEY": None})
    return runner.invoke(cli, ["--manifest", str(manifest or net.manifest_path), *args], catch_exceptions=False)


def ok_json(net: CliNet, *args: str) -> dict[str, Any]:
    """Run with --json; assert exit 0 and return the parsed object."""
    result = run_cli(net, *args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data = json.loads(result.stdout)
    assert data["ok"] is True
    return data  # type: ignore[no-any-return]


def chain_state(client: OpgClient, *accounts: str) -> dict[str, int]:
    """Everything a failed command must leave untouched: OPG balances (accounts + contracts), total supply,
    stakes, job count, and the accounts' nonces (no transaction sent at all)."""
    state = {"supply": client.token.total_supply(), "jobs": client.escrow.job_count()}
    for name in ("InferenceEscrow", "ProviderStaking", "RewardSettlement"):
        state[name] = client.token.balance_of(client.manifest.address(name))
    for a in accounts:
        state[f"opg:{a}"] = client.token.balance_of(a)
        state[f"nonce:{a}"] = client.w3.eth.get_transaction_count(a)
        state[f"stake:{a}"] = client.staking.stake_of(a).active
    return state
