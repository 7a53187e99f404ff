"""Value types mirroring the contracts: IntEnums for Solidity enums, frozen dataclasses for views.

Amounts are ints in wei; times are unix seconds; shares are basis points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class VerificationMode(IntEnum):
    """`enum VerificationMode` (contracts/interfaces/IModelRegistry.sol)."""

    Optimistic = 0
    TEE = 1
    ZK = 2


class JobStatus(IntEnum):
    """`enum JobStatus` (contracts/interfaces/IInferenceEscrow.sol). Ended jobs read as Closed."""

    None_ = 0
    Open = 1
    Claimed = 2
    Submitted = 3
    Closed = 4


class AttestationStatus(IntEnum):
    """`enum AttestationStatus` (contracts/interfaces/ITEEAttestationRegistry.sol). Revoked is final."""

    None_ = 0
    Approved = 1
    Revoked = 2


# Solidity enum name -> Python enum (used to decode `internalType: "enum X"` error/event arguments).
ENUMS: dict[str, type[IntEnum]] = {
    "VerificationMode": VerificationMode,
    "JobStatus": JobStatus,
    "AttestationStatus": AttestationStatus,
}


def modes_mask(modes: Iterable[VerificationMode | int]) -> int:
    """Bitmask of verification modes: bit (1 << mode)."""
    mask = 0
    for mode in modes:
        mask |= 1 << int(VerificationMode(mode))
    return mask


def modes_from_mask(mask: int) -> frozenset[VerificationMode]:
    return frozenset(mode for mode in VerificationMode if mask & (1 << mode))


# ------------------------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class VersionParams:
    """What a researcher publishes (IModelRegistry.VersionParams)."""

    weights_hash: bytes  # 32 bytes
    layer_commitments: tuple[bytes, ...]  # 32 bytes each, layer 0 first
    metadata_uri: str
    price_per_job: int  # wei
    royalty_bps: int
    modes: frozenset[VerificationMode]
    verifier: str = "0x0000000000000000000000000000000000000000"

    def as_tuple(self) -> tuple[bytes, list[bytes], str, int, int, int, str]:
        return (
            self.weights_hash,
            list(self.layer_commitments),
            self.metadata_uri,
            self.price_per_job,
            self.royalty_bps,
            modes_mask(self.modes),
            self.verifier,
        )


@dataclass(frozen=True)
class ModelInfo:
    model_id: int
    owner: str
    pending_owner: str
    latest_version: int
    deprecated: bool
    registered_at: int


@dataclass(frozen=True)
class VersionInfo:
    model_id: int
    version: int
    weights_hash: bytes
    verifier: str
    price_per_job: int  # wei
    royalty_bps: int
    modes: frozenset[VerificationMode]
    deprecated: bool
    published_at: int
    layer_count: int
    metadata_uri: str


@dataclass(frozen=True)
class JobTerms:
    model_id: int
    version: int
    owner: str
    price_per_job: int  # wei
    royalty_bps: int
    modes: frozenset[VerificationMode]
    deprecated: bool  # the version or the whole model


@dataclass(frozen=True)
class ModelRef:
    """A registered model version (what registerModel / publishVersion return)."""

    model_id: int
    version: int
    tx_hash: str


# -------------------------------------------------------------------------------------------- staking


@dataclass(frozen=True)
class StakeInfo:
    provider: str
    active: int  # wei, includes locked
    locked: int  # wei
    unbonding: int  # wei
    unlock_at: int  # unix s; 0 if nothing unbonding
    min_stake: int  # wei

    @property
    def free(self) -> int:
        """Own stake the provider may unbond: own active stake beyond locked collateral (locked collateral is
        backed by own + delegated stake; its own stake must cover it before it can leave)."""
        return max(self.active - self.locked, 0)

    @property
    def eligible(self) -> bool:
        return self.active >= self.min_stake


@dataclass(frozen=True)
class PoolInfo:
    """A provider's delegation pool (IStakingDelegation.poolOf)."""

    provider: str
    assets: int  # wei delegated and active (counts toward the provider's collateral capacity)
    shares: int
    unbonding_assets: int  # wei of the delegators' unbonding positions (still slashable)
    unbonding_shares: int
    reward_per_share: int  # 1e36-scaled accumulator


@dataclass(frozen=True)
class DelegationTerms:
    """A provider's delegation terms in force, and a scheduled change (effective_at 0: none)."""

    provider: str
    reward_cut_bps: int  # share of its emissions the provider keeps
    fee_share_bps: int  # share of its fee income passed to delegators
    next_reward_cut_bps: int
    next_fee_share_bps: int
    effective_at: int  # unix s


@dataclass(frozen=True)
class DelegationInfo:
    """One delegator's position with one provider (IStakingDelegation.delegationOf)."""

    delegator: str
    provider: str
    shares: int
    amount: int  # wei value of the shares (rounded down)
    unbonding: int  # wei unbonding (rounded down)
    unlock_at: int  # unix s; 0 if nothing unbonding
    rewards: int  # wei claimable (fees + emissions)


@dataclass(frozen=True)
class ProviderStatus:
    stake: StakeInfo
    serving: frozenset[int]  # of the model ids asked about
    token_balance: int  # wei
    claimable_fees: int  # wei
    claimable_emissions: int  # wei


# --------------------------------------------------------------------------------------------- escrow


@dataclass(frozen=True)
class Job:
    job_id: int
    requester: str
    fee: int  # wei
    provider: str
    model_id: int
    version: int
    status: JobStatus
    mode: VerificationMode
    deadline: int  # unix s (after submit: end of the challenge window)
    commitment: bytes
    collateral: int  # wei, pinned at creation
    challenge_window: int  # s, pinned at creation
    royalty_owner: str  # the version's owner at creation
    royalty_bps: int


@dataclass(frozen=True)
class JobRequest:
    """A created job (what `Requester.submit_job` returns)."""

    job_id: int
    model_id: int
    version: int
    mode: VerificationMode
    fee: int  # wei
    deadline: int  # unix s
    input_hash: bytes
    tx_hash: str
    collateral: int = 0  # wei the claiming provider locks (pinned at creation)


@dataclass(frozen=True)
class JobResult:
    job_id: int
    provider: str
    output: bytes
    output_hash: bytes
    trace_root: bytes  # optimistic: the provider's commitment to every layer's output; zero for TEE / ZK
    challenge_end: int  # unix s
    finalized: bool
    block_number: int


# ------------------------------------------------------------------------------------------- rewards


@dataclass(frozen=True)
class Claimable:
    fees: int  # wei
    emissions: int  # wei

    @property
    def total(self) -> int:
        return self.fees + self.emissions


@dataclass(frozen=True)
class Claimed:
    fees: int  # wei
    emissions: int  # wei
    tx_hash: str
