"""Constants and pure helpers of the invariant machines and adversarial tests (importable: this directory
is on sys.path). Everything here is independent of the contracts' own arithmetic: fee split, collateral,
slash split and the emission schedule are recomputed in Python from the documented formulas."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak
from opg_testkit import emission_at, sign_permit  # noqa: F401  (re-exported for the machines)

OPG = 10**18
BPS = 10_000
MAX_UINT = 2**256 - 1

OPTIMISTIC, TEE, ZK = 0, 1, 2
NONE, OPEN, CLAIMED, SUBMITTED, CLOSED = 0, 1, 2, 3, 4

MODEL_ID = 1
VERSION = 1
PRICE = 10 * OPG
ROYALTY_BPS = 500
MODES_MASK = 0b011  # optimistic + TEE
INPUT = bytes(range(48))
OUTPUT = b"label=3;p=0.97"


@dataclass
class Job:
    """A job as the machines model it."""

    id: int
    requester: str
    fee: int
    mode: int
    deadline: int  # claim/submit deadline; end of the challenge window once Submitted
    input: bytes
    status: int = OPEN
    provider: str | None = None
    collateral: int = 0
    output_hash: bytes = b""


@dataclass
class World:
    """The wired suite plus the actors the machines and adversarial tests use."""

    token: Any
    registry: Any
    staking: Any
    settlement: Any
    escrow: Any
    verifier: Any
    deployer: Any
    treasury: Any
    researcher: Any
    providers: list[Any]
    requesters: list[Any]
    challenger: Any
    keeper: Any
    # parameters read from the deployed contracts once
    min_stake: int
    unbonding_delay: int
    epoch_length: int
    genesis_time: int
    initial_emission: int
    decay_bps: int
    treasury_fee_bps: int
    ratio_bps: int
    min_collateral: int
    window: int
    bond: int
    reward_bps: int
    burn_bps: int
    cap: int
    initial_jobs: list[Job] = field(default_factory=list)  # created by the fixture, before any snapshot

    @property
    def holders(self) -> list[str]:
        """Every address that can hold OPG in these scenarios (their balances must add up to totalSupply)."""
        accts = [
            self.deployer, self.treasury, self.researcher, *self.providers, *self.requesters,
            self.challenger, self.keeper,
        ]
        contracts = [self.staking, self.escrow, self.settlement, self.verifier]
        return [str(a.address) for a in accts + contracts]

    def collateral(self, fee: int) -> int:
        return max(fee * self.ratio_bps // BPS, self.min_collateral)

    def slash_split(self, amount: int, beneficiary_set: bool = True) -> tuple[int, int, int]:
        """(rewarded, burned, to_treasury) of a slash of `amount` wei."""
        rewarded = amount * self.reward_bps // BPS if beneficiary_set else 0
        rest = amount - rewarded
        burned = rest * self.burn_bps // BPS
        return rewarded, burned, rest - burned

    def fee_split(self, fee: int) -> tuple[int, int, int]:
        """(provider share, royalty, treasury share) of a finalized fee."""
        royalty = fee * ROYALTY_BPS // BPS
        treasury_share = fee * self.treasury_fee_bps // BPS
        return fee - royalty - treasury_share, royalty, treasury_share

    def epoch_at(self, timestamp: int) -> int:
        return (timestamp - self.genesis_time) // self.epoch_length

    def emission(self, epoch: int) -> int:
        return emission_at(self.initial_emission, self.decay_bps, epoch)


class BatchReader:
    """Reads many view functions in ONE JSON-RPC batch of eth_calls (the invariants read ~40 values after
    every step; through Ape that is ~17 ms a call). `call(address, "balanceOf(address)", ["address"],
    [holder], ["uint256"])` queues a call and returns its index into the list `flush()` returns."""

    def __init__(self, uri: str) -> None:
        self._uri = uri
        self._calls: list[tuple[dict[str, str], list[str]]] = []

    def call(self, to: Any, signature: str, arg_types: list[str], args: list[Any], out_types: list[str]) -> int:
        data = keccak(text=signature)[:4] + abi_encode(arg_types, args)
        self._calls.append(({"to": str(getattr(to, "address", to)), "data": "0x" + data.hex()}, out_types))
        return len(self._calls) - 1

    def flush(self) -> list[tuple[Any, ...]]:
        calls, self._calls = self._calls, []
        payload = [
            {"jsonrpc": "2.0", "id": i, "method": "eth_call", "params": [tx, "latest"]}
            for i, (tx, _) in enumerate(calls)
        ]
        request = urllib.request.Request(
            self._uri, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            replies = sorted(json.loads(response.read()), key=lambda r: r["id"])
        out = []
        for reply, (_, out_types) in zip(replies, calls, strict=True):
            assert "error" not in reply, reply
            out.append(abi_decode(out_types, bytes.fromhex(reply["result"][2:])))
        return out


def new_job(w: World, chain, requester, fee: int, duration: int = 3_600, mode: int = OPTIMISTIC) -> int:
    """Creates a job on the fixture model by the approve path (approving first if needed); returns its id."""
    if w.token.allowance(requester, w.escrow) < fee:
        w.token.approve(w.escrow, MAX_UINT, sender=requester)
    deadline = chain.pending_timestamp + duration
    w.escrow.createJob(MODEL_ID, VERSION, mode, fee, deadline, INPUT, sender=requester)
    return w.escrow.lastJobId()


def staking_consistent(w: World) -> bool:
    """ProviderStaking's documented invariant, and active >= locked for every provider."""
    positions = [tuple(w.staking.stakeOf(p)) for p in w.providers]
    total = sum(active + unbonding for active, _, unbonding, _ in positions)
    return (
        all(active >= locked for active, locked, _, _ in positions)
        and w.token.balanceOf(w.staking) == w.staking.totalStaked() == total
    )


def escrow_consistent(w: World, live_fees: int) -> bool:
    """InferenceEscrow's documented invariant for a known sum of live fees."""
    return w.token.balanceOf(w.escrow) == live_fees + w.escrow.settledUnswept()
