"""The chains a simulation runs on: an upstream chain with the protocol deployed and some history (started
here unless `--fork-url` names one), and an Anvil fork of it (`anvil --fork-url`) where the agents act.

On the fork the sim uses Anvil's cheat codes only for what a fork test legitimately needs: gas money for
its agents (`anvil_setBalance`), acting as governance / the treasury (`anvil_impersonateAccount`), and a
deterministic clock (`anvil_setBlockTimestampInterval` = 1 s per block, `anvil_setNextBlockTimestamp` to
travel). Protocol state changes only through ordinary transactions.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_utils import keccak, to_checksum_address

from opg_client.errors import OpgError
from opg_client.localchain import DEV_CHAIN_ID, LocalChain, LocalChainError, dev_account, rpc
from opg_client.manifest import Manifest

OPG = 10**18
DEFAULT_ADMIN_ROLE = b"\x00" * 32
GAS_MONEY = 1_000 * 10**18  # wei of ETH given to each agent on the fork


class SimChainError(OpgError):
    """The upstream or fork chain could not be set up (or a cheat-code call failed)."""


def _hex(value: int) -> str:
    return hex(int(value))


class ForkChain:
    """An Anvil forked from `upstream_url`, with a deterministic clock (1 s per block)."""

    def __init__(self, chain: LocalChain | None, url: str, upstream_url: str, fork_block: int) -> None:
        self.chain = chain  # None: attached to a fork someone else runs (e.g. Ape's fork network); not stopped
        self.url = url
        self.upstream_url = upstream_url
        self.fork_block = fork_block

    @classmethod
    def start(cls, upstream_url: str) -> ForkChain:
        try:
            chain_id = int(rpc(upstream_url, "eth_chainId"), 16)
            fork_block = int(rpc(upstream_url, "eth_blockNumber"), 16)
        except (LocalChainError, OSError) as exc:
            raise SimChainError(f"upstream {upstream_url} does not answer: {exc}") from None
        args = ["--fork-url", upstream_url, "--fork-block-number", str(fork_block)]
        chain = LocalChain.start(chain_id=chain_id, extra_args=args)
        fork = cls(chain, chain.url, upstream_url, fork_block)
        try:
            fork.rpc("anvil_setBlockTimestampInterval", [1])
        except BaseException:
            chain.stop()
            raise
        return fork

    @classmethod
    def attach(cls, url: str, upstream_url: str) -> ForkChain:
        """A fork already running at `url` (Ape's `…-fork` network, a tester's anvil); `stop()` leaves it be."""
        fork = cls(None, url, upstream_url, int(rpc(url, "eth_blockNumber"), 16))
        fork.rpc("anvil_setBlockTimestampInterval", [1])
        return fork

    def rpc(self, method: str, params: Sequence[Any] | None = None) -> Any:
        try:
            return rpc(self.url, method, params, timeout=60.0)
        except LocalChainError as exc:
            raise SimChainError(str(exc)) from None

    def stop(self) -> None:
        if self.chain is not None:
            self.chain.stop()

    # ------------------------------------------------------------------------------------------ clock

    def timestamp(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def warp_to(self, timestamp: int) -> int:
        """Mine a block at `timestamp` (no-op when the chain is already past it); returns the chain time."""
        now = self.timestamp()
        if timestamp > now:
            self.rpc("anvil_setNextBlockTimestamp", [int(timestamp)])
            self.rpc("evm_mine")
            return timestamp
        return now

    # ---------------------------------------------------------------------------------- cheat codes

    def fund_eth(self, addresses: Sequence[str], amount: int = GAS_MONEY) -> None:
        for address in addresses:
            self.rpc("anvil_setBalance", [address, _hex(amount)])

    def send_as(self, sender: str, to: str, data: str, *, gas: int = 1_000_000) -> dict[str, Any]:
        """Send a transaction from `sender` without its key (impersonated); raises SimChainError on revert."""
        sender = to_checksum_address(sender)
        balance = int(self.rpc("eth_getBalance", [sender, "latest"]), 16)
        if balance < 10**18:
            self.rpc("anvil_setBalance", [sender, _hex(balance + 10**18)])
        self.rpc("anvil_impersonateAccount", [sender])
        try:
            tx_hash = self.rpc("eth_sendTransaction", [{"from": sender, "to": to, "data": data, "gas": _hex(gas)}])
            receipt = self._receipt(tx_hash)
        finally:
            self.rpc("anvil_stopImpersonatingAccount", [sender])
        if int(receipt["status"], 16) != 1:
            raise SimChainError(f"impersonated call from {sender} to {to} reverted (tx {tx_hash})")
        return dict(receipt)

    def _receipt(self, tx_hash: str, timeout: float = 30.0) -> dict[str, Any]:
        give_up = time.monotonic() + timeout
        while True:
            receipt = self.rpc("eth_getTransactionReceipt", [tx_hash])
            if receipt:
                return dict(receipt)
            if time.monotonic() > give_up:
                raise SimChainError(f"no receipt for {tx_hash} after {timeout:g} s")
            time.sleep(0.01)


def admin_of(client: Any) -> str:
    """Who holds DEFAULT_ADMIN_ROLE of the escrow: the timelock after a governance handover, else the deployer."""
    escrow = client.contract("InferenceEscrow")
    candidates = []
    if "TimelockController" in client.manifest.contracts:
        candidates.append(client.manifest.address("TimelockController"))
    deployer = client.manifest.params.get("deployer")
    if deployer:
        candidates.append(deployer)
    candidates.append(dev_account(0).address)
    for candidate in candidates:
        if escrow.functions.hasRole(DEFAULT_ADMIN_ROLE, to_checksum_address(candidate)).call():
            return to_checksum_address(candidate)
    raise SimChainError("no known account holds the escrow's DEFAULT_ADMIN_ROLE (cannot set parameters)")


def role_id(name: str) -> bytes:
    return keccak(text=name)


# ---------------------------------------------------------------------------------------------- upstream


@dataclass(frozen=True)
class Upstream:
    """The local upstream chain the command starts: the suite deployed (governance handed to the timelock),
    the shipped digits model registered, one provider staked and a few jobs settled over one epoch."""

    chain: LocalChain
    manifest: Manifest
    history: dict[str, Any]

    @property
    def url(self) -> str:
        return self.chain.url

    def stop(self) -> None:
        if self.chain is not None:
            self.chain.stop()


def start_upstream(artifacts: Any = None, *, history_jobs: int = 3, chain_id: int = DEV_CHAIN_ID) -> Upstream:
    """Start Anvil, deploy the suite and make some history (on failure, nothing is left running)."""
    chain = LocalChain.start(chain_id=chain_id)
    try:
        manifest, history = _make_history(chain, artifacts, history_jobs)
    except BaseException:
        chain.stop()
        raise
    return Upstream(chain, manifest, history)


def _make_history(chain: LocalChain, artifacts: Any, n_jobs: int) -> tuple[Manifest, dict[str, Any]]:
    from opg_client.chain import OpgClient
    from opg_client.demo import find_artifacts
    from opg_client.localchain import deploy_local
    from opg_client.models import VerificationMode
    from opg_client.roles import Provider, Requester, Researcher
    from opg_client.runtime import (
        digits_model_bytes,
        encode_vector,
        layer_commitments,
        load_digits_model,
        trace,
        trace_root,
    )
    from opg_client.runtime import model_hash as weights_hash
    from opg_client.sim.inputs import digits_inputs

    arts = artifacts if artifacts is not None else find_artifacts()
    manifest, _gas = deploy_local(chain.url, artifacts=arts, fund=10_000 * OPG, handover=True, network="sim-upstream")
    manifest = dataclasses.replace(manifest, params={**manifest.params, "deployer": dev_account(0).address})
    client = OpgClient.connect(manifest)
    researcher = Researcher(client, dev_account(2))
    model = load_digits_model()
    digits_model_bytes()  # the shipped file exists (fails loudly otherwise)
    params = Researcher.params(
        weights_hash(model), layer_commitments(model), "opg://digits", OPG, 1_000, [VerificationMode.Optimistic]
    )
    ref = researcher.register_model(params)
    provider = Provider(client, dev_account(3))
    provider.stake(2_000 * OPG)
    provider.serve(ref.model_id)
    requester = Requester(client, dev_account(5))
    jobs = []
    for x in digits_inputs(n_jobs, offset=100):
        job = requester.submit_job(ref.model_id, encode_vector(x, "input"), ttl=600)
        provider.claim_job(job.job_id)
        tr = trace(model, x)
        provider.submit_result(job.job_id, encode_vector(tr.output, "output"), trace_root(tr))
        jobs.append(job.job_id)
    chain.advance_time(client.escrow.challenge_window() + 1)
    for job_id in jobs:
        requester.finalize(job_id)
    rewards = client.contract("RewardSettlement")
    genesis, length = int(rewards.functions.GENESIS_TIME().call()), int(rewards.functions.EPOCH_LENGTH().call())
    epoch = client.rewards.current_epoch()
    chain.advance_time(genesis + (epoch + 1) * length - client.timestamp() + 1)
    claimed = {who: client.sender(acct).wait(client.rewards.claim(acct)) for who, acct in
               (("provider", provider.account), ("researcher", researcher.account))}
    history = {
        "model_id": ref.model_id,
        "jobs": jobs,
        "claims": sorted(claimed),
        "block": client.block_number(),
    }
    return manifest, history
