"""Deploy the whole OPG suite to any network Ape knows and write its manifest.

    ape run deploy --network ethereum:local:foundry [--account NAME] [--out deployments/local.json]

Wiring is `opg_client.deploy.deploy_suite` (shared with `opg deploy`); this file is the Ape back-end.
Governance (DEFAULT_ADMIN_ROLE everywhere) ends with the OPGTimelock; the deployer keeps nothing but the
guardian's PAUSER_ROLE when it is the guardian.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand, account_option

from opg_client.deploy import SuiteParams, build_manifest, deploy_suite
from opg_client.manifest import write_manifest


class ApeBackend:
    """Deploys through an Ape account (any Ape account plugin: test, keyfile, hardware)."""

    def __init__(self, account: Any) -> None:
        self._account = account
        self.gas_used: dict[str, int] = {}

    @property
    def deployer(self) -> str:
        return str(self._account.address)

    def nonce(self) -> int:
        return int(self._account.nonce)

    def deploy(self, name: str, *args: Any) -> str:
        contract = self._account.deploy(project.get_contract(name), *args)
        self.gas_used[f"deploy {name}"] = chain.get_receipt(contract.txn_hash).gas_used
        return str(contract.address)

    def transact(self, name: str, address: str, function: str, *args: Any) -> None:
        instance = project.get_contract(name).at(address)
        receipt = getattr(instance, function)(*args, sender=self._account)
        self.gas_used[f"{name}.{function}"] = receipt.gas_used


def default_params(deployer: str, treasury: str | None, delay: int) -> SuiteParams:
    return SuiteParams(treasury=treasury or deployer, guardian=deployer, proposers=(deployer,), timelock_delay=delay)


@click.command(cls=ConnectedProviderCommand)
@account_option()
@click.option("--treasury", default=None, help="Treasury address (default: the deployer).")
@click.option("--timelock-delay", default=2 * 86_400, show_default=True, help="Governance delay, seconds.")
@click.option("--out", "out", default=None, help="Manifest path (default deployments/<network>.json).")
def cli(ecosystem: Any, network: Any, provider: Any, account: Any, treasury: str | None, timelock_delay: int,
        out: str | None) -> None:
    """Deploy and wire the suite; write the deployment manifest."""
    params = default_params(str(account.address), treasury, timelock_delay)
    start_block = chain.blocks.height + 1
    backend = ApeBackend(account)
    addresses = deploy_suite(backend, params)
    abis = {name: [abi.model_dump(mode="json", by_alias=True) for abi in project.get_contract(name).contract_type.abi]
            for name in addresses}
    net_name = "local" if network.name == "local" else network.name
    manifest = build_manifest(
        net_name, chain.chain_id, getattr(provider, "uri", ""), start_block, addresses, abis, params
    )
    path = write_manifest(manifest, Path(out) if out else Path("deployments") / f"{net_name}.json")
    for name, address in addresses.items():
        click.echo(f"{name:18} {address}")
    click.echo(f"manifest: {path}  (gas used in total: {sum(backend.gas_used.values()):,})")
