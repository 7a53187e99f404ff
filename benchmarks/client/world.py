"""One local chain for the client bench: Anvil on a free port (automine for the throughput run, switched to
interval mining for the latency run), the suite deployed with web3 (no Ape), the shipped digits model
registered, a staked provider per role, a funded requester, and real digits inputs."""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any

from web3 import Web3

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, LocalChainError, advance_time, dev_account, free_port
from opg_client.manifest import Manifest
from opg_client.models import ModelRef, VerificationMode
from opg_client.roles import Provider, Requester, Researcher
from opg_client.runtime import (
    Model,
    encode_vector,
    layer_commitments,
    load_digits_model,
    model_hash,
)
from opg_client.transport import RetryingHTTPProvider
from opg_client.units import OPG

# Anvil's funded dev accounts (#0 deployer and #1 treasury are taken by deploy_local).
RESEARCHER, LOOP_PROVIDER, NODE_PROVIDER, REQUESTER, RAW_SENDER, RAW_RECIPIENT = 2, 3, 4, 5, 6, 7
ROYALTY_BPS = 1_000


class ClientBenchError(Exception):
    """A bench scenario did not do what it measures (a job not settled, a wrong output, ...)."""


@dataclass(frozen=True)
class Sample:
    row: int  # index into sklearn's load_digits()
    pixels_input: bytes  # chain encoding (packed int32) of the model input
    label: int


def digits_inputs(n: int) -> list[Sample]:
    """`n` model inputs from the shipped model's held-out test split (cycled if `n` exceeds it)."""
    from sklearn.datasets import load_digits

    from opg_client.runtime import encode_digit_pixels, load_digits_meta

    meta = load_digits_meta()
    data = load_digits().data
    pairs = itertools.islice(itertools.cycle(zip(meta.test_indices, meta.test_labels, strict=True)), n)
    return [
        Sample(row, encode_vector(encode_digit_pixels(data[row].astype(int), meta.frac_bits), "input"), label)
        for row, label in pairs
    ]


class ClientWorld:
    """Everything deployed and funded. Use as a context manager: Anvil is stopped on exit."""

    def __init__(self, *, price: int, provider_stake: int) -> None:
        from opg_client.localchain import deploy_local

        self.chain = LocalChain.start(port=free_port())
        try:
            self.manifest, _ = deploy_local(self.chain.url, handover=False)
            self.client = OpgClient.connect(self.manifest, self.chain.url)
            self.price = price
            self.model: Model = load_digits_model()
            self.researcher = Researcher(self.client, dev_account(RESEARCHER))
            self.model_ref = self._register()
            self.requester = Requester(self.client, dev_account(REQUESTER))
            self.loop_provider = Provider(self.client, dev_account(LOOP_PROVIDER))
            self.node_provider = Provider(self.client, dev_account(NODE_PROVIDER))
            self._fund(provider_stake)
            for provider in (self.loop_provider, self.node_provider):
                provider.stake(provider_stake)
                provider.serve(self.model_ref.model_id)
        except BaseException:
            self.chain.stop()
            raise

    @property
    def model_id(self) -> int:
        return self.model_ref.model_id

    def _register(self) -> ModelRef:
        params = Researcher.params(
            model_hash(self.model),
            layer_commitments(self.model),
            "opg://digits-mlp",
            self.price,
            ROYALTY_BPS,
            [VerificationMode.Optimistic],
        )
        return self.researcher.register_model(params)

    def _fund(self, provider_stake: int) -> None:
        """OPG from the treasury (deployer's genesis recipient): stakes, and the requester's fee budget."""
        treasury = self.client.sender(dev_account(1))
        token = self.client.contract("OPGToken")
        funding = [
            (self.loop_provider.address, provider_stake),
            (self.node_provider.address, provider_stake),
            (self.requester.address, 1_000_000 * OPG),
        ]
        gas = treasury.estimate_gas(token.functions.transfer(self.requester.address, 1))
        treasury.wait_all([treasury.send(token.functions.transfer(a, v), gas=gas) for a, v in funding])
        approval = self.client.token.approve(self.requester.account, self.client.escrow.address, 2**255)
        self.client.sender(self.requester.account).wait(approval)

    # ------------------------------------------------------------------------------------- chain

    def connect(self, *, from_block: int | None = None) -> OpgClient:
        """A fresh client (own senders / nonce counters), its event cursors starting at `from_block`."""
        manifest: Manifest = self.manifest
        if from_block is not None:
            manifest = dataclasses.replace(manifest, block=from_block)
        return OpgClient.connect(manifest, self.chain.url)

    def advance_time(self, seconds: int) -> int:
        return advance_time(self.chain.url, seconds)

    def interval_mining(self, block_time: int) -> None:
        """Switch Anvil from automine to one block every `block_time` seconds."""
        self.chain.rpc("evm_setAutomine", [False])
        self.chain.rpc("evm_setIntervalMining", [block_time])

    def isolated(self) -> Isolated:
        """A block of work undone afterwards (`evm_snapshot` / `evm_revert`): every measurement starts from the
        same chain state, so none pays for the blocks another one added (Anvil slows as its history grows)."""
        return Isolated(self)

    def stall_guard(self) -> StallGuard:
        return StallGuard(self.chain)

    def spare_chain(self) -> SpareChain:
        """A fresh Anvil of the same binary and flags (dev accounts funded, nothing deployed), stopped on exit:
        for measurements that add so many blocks that an `evm_revert` over them is not to be trusted."""
        return SpareChain()

    def anvil_version(self) -> str:
        return str(self.chain.rpc("web3_clientVersion"))

    def close(self) -> None:
        self.chain.stop()

    def __enter__(self) -> ClientWorld:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()



class SpareChain:
    def __init__(self) -> None:
        self.chain: LocalChain | None = None
        self.w3: Web3 | None = None

    def __enter__(self) -> SpareChain:
        self.chain = LocalChain.start(port=free_port())
        self.w3 = Web3(RetryingHTTPProvider(self.chain.url))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.chain is not None:
            self.chain.stop()


class StallGuard:
    """Works around an Anvil (1.7.1) automine stall: under a burst of transactions from one sender it can leave
    ready transactions in its pool for good (it goes on mining empty blocks, or none). While active, a thread
    checks the pool every `interval` s; when it holds transactions and its count did not move for `stall` s,
    it mines a block (`evm_mine`, which takes them) and counts it in `nudges`. Every measurement reports the
    nudges it needed."""

    def __init__(self, chain: LocalChain, *, interval: float = 0.05, stall: float = 0.3) -> None:
        self.chain = chain
        self.interval = interval
        self.stall = stall
        self.nudges = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last, since = -1, time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                pending = int(self.chain.rpc("txpool_status")["pending"], 16)
                now = time.monotonic()
                if pending == 0 or pending != last:
                    last, since = pending, now
                elif now - since >= self.stall:
                    self.chain.rpc("evm_mine")
                    self.nudges += 1
                    last = -1
            except (OSError, ValueError, LocalChainError) as exc:  # a slow answer: try again next round
                self.errors.append(f"{type(exc).__name__}: {exc}"[:200])

    def __enter__(self) -> StallGuard:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class Isolated:
    def __init__(self, world: ClientWorld) -> None:
        self.world = world
        self.snapshot = ""

    def __enter__(self) -> Isolated:
        self.snapshot = str(self.world.chain.rpc("evm_snapshot"))
        return self

    def __exit__(self, *exc: Any) -> None:
        chain = self.world.chain
        if not chain.rpc("evm_revert", [self.snapshot]):
            raise ClientBenchError(f"evm_revert to snapshot {self.snapshot} failed")
        chain.rpc("anvil_dropAllTransactions")
        for role in (self.world.requester, self.world.loop_provider, self.world.node_provider):
            self.world.client.sender(role.account).nonces.resync()  # counters ran ahead of the reverted chain
