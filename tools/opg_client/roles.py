"""Role objects: what a researcher, provider, requester (integrator) or reward claimant does.

Each wraps one `OpgClient` and one `LocalAccount`; methods send, wait for the receipt and return typed
results. For pipelining, use the per-contract wrappers (`client.escrow.create_job(...)` returns a
`PendingTx`) and `client.sender(account).wait_all(pendings)`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

from opg_client.chain import OpgClient
from opg_client.errors import InvalidJobStatus, JobTimeout
from opg_client.models import (
    Claimable,
    Claimed,
    DelegationInfo,
    DelegationTerms,
    Job,
    JobRequest,
    JobResult,
    JobStatus,
    ModelRef,
    ProviderStatus,
    StakeInfo,
    VerificationMode,
    VersionParams,
)

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


class _Role:
    def __init__(self, client: OpgClient, account: LocalAccount) -> None:
        self.client = client
        self.account = account
        self.address: str = account.address

    def _wait(self, pending: object) -> TxReceipt:
        return self.client.sender(self.account).wait(pending)  # type: ignore[arg-type]


class Researcher(_Role):
    """Registers models, publishes versions, deprecates."""

    @staticmethod
    def params(
        weights_hash: bytes,
        layer_commitments: Sequence[bytes],
        uri: str,
        price: int,
        royalty_bps: int,
        modes: Iterable[VerificationMode],
        verifier: str = ZERO_ADDRESS,
    ) -> VersionParams:
        return VersionParams(
            bytes(weights_hash),
            tuple(bytes(c) for c in layer_commitments),
            uri,
            price,
            royalty_bps,
            frozenset(VerificationMode(m) for m in modes),
            verifier,
        )

    @staticmethod
    def params_from_file(
        path: str | os.PathLike[str],
        uri: str,
        price: int,
        royalty_bps: int,
        modes: Iterable[VerificationMode],
        verifier: str = ZERO_ADDRESS,
    ) -> VersionParams:
        """Weights hash and per-layer commitments of a runtime model file (opg_client.runtime)."""
        from opg_client.runtime import layer_commitments, model_hash, read_model

        model = read_model(Path(path))
        return Researcher.params(model_hash(model), layer_commitments(model), uri, price, royalty_bps, modes, verifier)

    def register_model(self, params: VersionParams) -> ModelRef:
        receipt = self._wait(self.client.registry.register_model(self.account, params))
        return self.client.registry.published(receipt)

    def register_model_file(
        self,
        path: str | os.PathLike[str],
        uri: str,
        price: int,
        royalty_bps: int,
        modes: Iterable[VerificationMode],
    ) -> ModelRef:
        return self.register_model(self.params_from_file(path, uri, price, royalty_bps, modes))

    def publish_version(self, model_id: int, params: VersionParams) -> ModelRef:
        receipt = self._wait(self.client.registry.publish_version(self.account, model_id, params))
        return self.client.registry.published(receipt)

    def deprecate_model(self, model_id: int) -> TxReceipt:
        return self._wait(self.client.registry.deprecate_model(self.account, model_id))

    def deprecate_version(self, model_id: int, version: int) -> TxReceipt:
        return self._wait(self.client.registry.deprecate_version(self.account, model_id, version))


class Provider(_Role):
    """Stakes, serves models, unbonds, withdraws; claims and answers jobs (the node drives the loop)."""

    def stake(self, amount: int, *, permit: bool = True) -> StakeInfo:
        staking = self.client.staking
        if permit:
            self._wait(staking.stake_with_permit(self.account, amount))
        else:
            approval = self.client.token.ensure_allowance(self.account, staking.address, amount)
            if approval is not None:
                self._wait(approval)
            self._wait(staking.stake(self.account, amount))
        return staking.stake_of(self.address)

    def serve(self, model_id: int) -> TxReceipt:
        return self._wait(self.client.staking.serve_model(self.account, model_id))

    def stop_serving(self, model_id: int) -> TxReceipt:
        return self._wait(self.client.staking.stop_serving(self.account, model_id))

    def unbond(self, amount: int) -> StakeInfo:
        self._wait(self.client.staking.unbond(self.account, amount))
        return self.client.staking.stake_of(self.address)

    def withdraw(self) -> int:
        """Withdraws the unlocked unbonding position; returns the amount (wei)."""
        receipt = self._wait(self.client.staking.withdraw(self.account))
        return int(self.client.staking.event_in(receipt, "Withdrawn")["amount"])

    def status(self, model_ids: Iterable[int] = ()) -> ProviderStatus:
        staking = self.client.staking
        claimable = (
            self.client.rewards.claimable(self.address)
            if "RewardSettlement" in self.client.manifest.contracts
            else Claimable(0, 0)
        )
        return ProviderStatus(
            stake=staking.stake_of(self.address),
            serving=frozenset(m for m in model_ids if staking.is_serving(self.address, m)),
            token_balance=self.client.token.balance_of(self.address),
            claimable_fees=claimable.fees,
            claimable_emissions=claimable.emissions,
        )

    def set_delegation_terms(self, reward_cut_bps: int, fee_share_bps: int) -> DelegationTerms:
        """Keep `reward_cut_bps` of emissions, pass `fee_share_bps` of fee income to delegators. Changes that
        favour delegators apply now; others are scheduled one unbonding delay ahead (see `effective_at`)."""
        self._wait(self.client.staking.set_delegation_terms(self.account, reward_cut_bps, fee_share_bps))
        return self.client.staking.delegation_terms(self.address)

    def claim_job(self, job_id: int) -> TxReceipt:
        return self._wait(self.client.escrow.claim_job(self.account, job_id))

    def submit_result(self, job_id: int, output: bytes, proof: bytes = b"") -> TxReceipt:
        return self._wait(self.client.escrow.submit_result(self.account, job_id, output, proof))


class Requester(_Role):
    """An integrator: submits jobs (approve or permit), waits for results, cancels, expires."""

    def submit_job(
        self,
        model_id: int,
        input_data: bytes,
        *,
        version: int | None = None,
        mode: VerificationMode = VerificationMode.Optimistic,
        max_fee: int | None = None,
        deadline: int | None = None,
        ttl: int = 600,
        permit: bool = True,
    ) -> JobRequest:
        """Create a job on `model_id` (latest version unless given), paying the version's price unless
        `max_fee` is given, with a deadline `ttl` seconds from now (chain time) unless given."""
        escrow = self.client.escrow
        version = self.client.registry.latest_version(model_id) if version is None else version
        if max_fee is None:
            max_fee = self.client.registry.job_terms(model_id, version).price_per_job
        if deadline is None:
            deadline = self.client.timestamp() + min(ttl, escrow.max_job_duration())
        if permit:
            pending = escrow.create_job_with_permit(
                self.account, model_id, version, mode, max_fee, deadline, input_data
            )
        else:
            escrow.check_new_job(self.address, model_id, version, mode, max_fee, deadline)
            approval = self.client.token.ensure_allowance(self.account, escrow.address, max_fee)
            if approval is not None:
                self._wait(approval)
            pending = escrow.create_job(self.account, model_id, version, mode, max_fee, deadline, input_data)
        return escrow.created(self._wait(pending))

    def submit_jobs(
        self,
        model_id: int,
        inputs: Sequence[bytes],
        *,
        version: int | None = None,
        mode: VerificationMode = VerificationMode.Optimistic,
        max_fee: int | None = None,
        ttl: int = 600,
        timeout: float | None = None,
    ) -> list[JobRequest]:
        """Pipelined: one approval for all fees, one gas estimate, then every createJob signed and sent in
        JSON-RPC batches without waiting in between; receipts are collected at the end. All checks of
        `submit_job` run once up front (same named errors, nothing sent when they fail)."""
        if not inputs:
            return []
        escrow = self.client.escrow
        version = self.client.registry.latest_version(model_id) if version is None else version
        fee = self.client.registry.job_terms(model_id, version).price_per_job if max_fee is None else max_fee
        deadline = self.client.timestamp() + min(ttl, escrow.max_job_duration())
        total = fee * len(inputs)
        escrow.check_new_job(self.address, model_id, version, mode, fee, deadline)
        self.client.token.require_balance(self.address, total)
        sender = self.client.sender(self.account)
        approval = self.client.token.ensure_allowance(self.account, escrow.address, total)
        if approval is not None:
            sender.wait(approval)
        fn = escrow.contract.functions.createJob
        gas = escrow.create_gas(self.account, model_id, version, mode, fee, deadline, max(inputs, key=len))
        calls = [fn(model_id, version, int(mode), fee, deadline, data) for data in inputs]
        receipts = sender.wait_all(sender.send_many(calls, gas=gas, label="createJob"), timeout=timeout)
        return [escrow.created(receipt) for receipt in receipts]

    def job(self, job_id: int) -> Job:
        return self.client.escrow.get_job(job_id)

    def result(self, job_id: int) -> JobResult | None:
        return self.client.escrow.find_result(job_id)

    def wait_for_result(
        self, job_id: int, timeout: float = 120.0, *, finalized: bool = False, poll_interval: float = 0.5
    ) -> JobResult:
        """Block until the provider submitted (or, with `finalized`, the job settled); JobTimeout otherwise.

        A job that closed without a result (cancelled / expired / challenge upheld) raises InvalidJobStatus.
        """
        deadline = time.monotonic() + timeout
        while True:
            status = self.client.escrow.job_status(job_id)  # read first: the result read is then no older
            found = self.client.escrow.find_result(job_id)
            if found is not None and (found.finalized or not finalized):
                return found
            if status in (JobStatus.Closed, JobStatus.None_):
                raise InvalidJobStatus(jobId=job_id, status=status)
            if time.monotonic() >= deadline:
                raise JobTimeout(job_id, timeout, status)
            time.sleep(poll_interval)

    def output(self, job_id: int) -> bytes:
        """The submitted output bytes (raises LookupError if none yet)."""
        found = self.client.escrow.find_result(job_id)
        if found is None:
            raise LookupError(f"job {job_id} has no result yet")
        return found.output

    def output_vector(self, job_id: int) -> tuple[int, ...]:
        """The output decoded as the runtime's chain-encoded (packed int32) vector."""
        from opg_client.runtime import decode_vector

        return tuple(decode_vector(self.output(job_id), "output"))

    def cancel(self, job_id: int) -> TxReceipt:
        return self._wait(self.client.escrow.cancel_job(self.account, job_id))

    def expire(self, job_id: int) -> TxReceipt:
        return self._wait(self.client.escrow.expire_job(self.account, job_id))

    def finalize(self, job_id: int) -> TxReceipt:
        return self._wait(self.client.escrow.finalize_job(self.account, job_id))


class RewardsClaimant(_Role):
    """Anyone with a claimable balance: providers (fees + emissions), model owners (royalties)."""

    def claimable(self) -> Claimable:
        return self.client.rewards.claimable(self.address)

    def claim(self) -> Claimed:
        receipt = self._wait(self.client.rewards.claim(self.account))
        return self.client.rewards.claimed(receipt)


class Delegator(_Role):
    """A token holder who delegates OPG to providers: earns their delegators' share of fees and emissions,
    shares their slashing pro rata, leaves through an unbonding lock per provider."""

    def delegate(self, provider: str, amount: int, *, permit: bool = True) -> DelegationInfo:
        staking = self.client.staking
        if permit:
            self._wait(staking.delegate_with_permit(self.account, provider, amount))
        else:
            approval = self.client.token.ensure_allowance(self.account, staking.address, amount)
            if approval is not None:
                self._wait(approval)
            self._wait(staking.delegate(self.account, provider, amount))
        return staking.delegation_of(self.address, provider)

    def undelegate(self, provider: str, amount: int | None = None) -> int:
        """Starts unbonding `amount` wei (rounded up to whole shares), or the whole position if None.
        Returns the amount (wei) now unbonding from this call."""
        staking = self.client.staking
        held = staking.delegation_of(self.address, provider).shares
        shares = held if amount is None else min(staking.shares_for(provider, amount), held)
        receipt = self._wait(staking.undelegate(self.account, provider, shares))
        return int(staking.event_in(receipt, "Undelegated")["amount"])

    def withdraw(self, provider: str) -> int:
        """Withdraws the unlocked unbonding delegation with `provider`; returns the amount (wei)."""
        receipt = self._wait(self.client.staking.withdraw_delegation(self.account, provider))
        return int(self.client.staking.event_in(receipt, "DelegationWithdrawn")["amount"])

    def claim(self, provider: str) -> int:
        """Claims the rewards from `provider`'s pool; returns the amount paid (wei)."""
        receipt = self._wait(self.client.staking.claim_delegator_rewards(self.account, provider))
        return int(self.client.staking.event_in(receipt, "DelegatorRewardsClaimed")["amount"])

    def position(self, provider: str) -> DelegationInfo:
        return self.client.staking.delegation_of(self.address, provider)
