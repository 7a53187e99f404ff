"""The benchmarked world: the suite as `deploy_suite` wires it (the deployer keeps governance), a
TestVerifier as the optimistic verifier, the shipped digits model registered, one staked provider
serving it, funded requesters; plus snapshots, time travel and job helpers that return receipts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import accounts, chain, project

from benchmarks.anatomy import anatomy
from benchmarks.payloads import Payload
from opg_client import jobstate
from opg_client.deploy import OPG, ZERO_ADDRESS, SuiteParams, deploy_suite
from opg_client.runtime import load_digits_meta
from opg_client.token import sign_permit_typed

OPTIMISTIC = 0
MODES_OPTIMISTIC = 1 << OPTIMISTIC
MAX_UINT256 = 2**256 - 1
PRICE = 1 * OPG  # pricePerJob of the benchmarked model version, and every job's fee
ROYALTY_BPS = 500
PROVIDER_STAKE = 2_000 * OPG
ACCOUNT_OPG = 100_000 * OPG  # what the treasury sends each role account
ACCOUNT_ETH = 10**20
JOB_DURATION = 7_200  # claim/submit deadline after creation, seconds
EPOCH_OFFSET = 60  # scenarios start this many seconds into an epoch
DEADLINE_GRAIN = 600  # deadlines are rounded up to this (s): same calldata and signatures run after run
#: A CIDv1 of realistic length for version metadata.
METADATA_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"


class BenchError(RuntimeError):
    """A scenario did not take the path it claims to measure."""


def gas(receipt: Any) -> int:
    return int(receipt.gas_used)


def job_struct(escrow: Any, job_id: int) -> jobstate.JobStruct:
    """The current Job struct of `job_id` (the escrow stores only its hash), rebuilt from the escrow's events."""
    logs = chain.provider.web3.eth.get_logs(jobstate.log_filter(escrow.address, job_id))
    return jobstate.named_struct(jobstate.rebuild(job_id, logs))


def events(contract: Any, name: str, receipt: Any) -> list[Any]:
    return list(getattr(contract, name).from_receipt(receipt))


@dataclass(frozen=True)
class Lifecycle:
    """Receipts of one optimistic job: createJobWithPermit, claimJob, submitResult, finalizeJob."""

    job_id: int
    receipts: dict[str, Any]

    def gas(self) -> dict[str, int]:
        out = {name: gas(r) for name, r in self.receipts.items()}
        out["total"] = sum(out.values())
        return out

    def anatomy(self) -> dict[str, dict[str, int]]:
        return {name: anatomy(r) for name, r in self.receipts.items()}


class World:
    def __init__(self, params: SuiteParams | None = None) -> None:
        from scripts.deploy import ApeBackend  # not at import time: `ape run` loads scripts/ itself

        a = accounts.test_accounts
        # The roles of tests/conftest.py (accounts 0-7; provider2 unused).
        self.deployer, self.treasury, self.researcher, self.provider = a[0], a[1], a[2], a[3]
        self.requester, self.watcher, self.stranger = a[5], a[6], a[7]
        me = str(self.deployer.address)
        self.params = params or SuiteParams(treasury=str(self.treasury.address), guardian=me, proposers=(me,))
        addresses = deploy_suite(ApeBackend(self.deployer), self.params, governance_handover=False)
        self.addresses = addresses
        self.token = project.OPGToken.at(addresses["OPGToken"])
        self.registry = project.ModelRegistry.at(addresses["ModelRegistry"])
        self.staking = project.ProviderStaking.at(addresses["ProviderStaking"])
        self.settlement = project.RewardSettlement.at(addresses["RewardSettlement"])
        self.escrow = project.InferenceEscrow.at(addresses["InferenceEscrow"])
        self.verifier = self.deployer.deploy(project.TestVerifier)
        self.escrow.setVerifier(OPTIMISTIC, self.verifier, sender=self.deployer)

        self.registry.registerModel(self.version_params(), sender=self.researcher)
        self.model_id = int(self.registry.modelCount())
        self.version = 1
        for acct in (self.requester, self.provider, self.watcher, self.stranger):
            self.fund(acct, ACCOUNT_OPG)
        self.stake(self.provider, PROVIDER_STAKE)
        self.staking.serveModel(self.model_id, sender=self.provider)
        # `requester` pays by permit only; `stranger` by approve; `watcher` posts challenge bonds.
        for acct in (self.stranger, self.watcher):
            self.token.approve(self.escrow, MAX_UINT256, sender=acct)

        self.genesis = int(self.settlement.GENESIS_TIME())
        self.epoch_length = int(self.settlement.EPOCH_LENGTH())
        self.challenge_window = int(self.escrow.challengeWindow())
        self._base = chain.snapshot()

    # ---------------------------------------------------------------------------------------------
    # Snapshots and time
    # ---------------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the state right after set-up."""
        chain.restore(self._base)
        self._base = chain.snapshot()

    def now(self) -> int:
        return int(chain.blocks.head.timestamp)

    def set_time(self, timestamp: int) -> None:
        """Mines a block at `timestamp` (absolute, so scenarios restored from one snapshot line up)."""
        chain.pending_timestamp = timestamp
        chain.mine()

    def advance(self, seconds: int) -> None:
        self.set_time(self.now() + seconds)

    def epoch_start(self, epoch: int) -> int:
        return self.genesis + epoch * self.epoch_length

    def epoch(self) -> int:
        return (self.now() - self.genesis) // self.epoch_length

    def start_next_epoch(self) -> int:
        """Moves to EPOCH_OFFSET seconds into the next epoch (room for a scenario in one epoch)."""
        epoch = self.epoch() + 1
        self.set_time(self.epoch_start(epoch) + EPOCH_OFFSET)
        return epoch

    def deadline(self, seconds: int) -> int:
        """`seconds` from now, rounded up to DEADLINE_GRAIN (wall-clock jitter must not change calldata)."""
        return -(-(self.now() + seconds) // DEADLINE_GRAIN) * DEADLINE_GRAIN

    def pass_challenge_window(self) -> None:
        self.advance(self.challenge_window + 1)

    # ---------------------------------------------------------------------------------------------
    # Accounts and tokens
    # ---------------------------------------------------------------------------------------------

    def new_account(self) -> Any:
        acct = accounts.test_accounts.generate_test_account()
        chain.set_balance(acct.address, ACCOUNT_ETH)
        return acct

    def fund(self, acct: Any, amount: int) -> Any:
        return self.token.transfer(acct, amount, sender=self.treasury)

    def permit(self, owner: Any, spender: Any, value: int, deadline: int) -> tuple[int, bytes, bytes]:
        """EIP-2612 permit signature (v, r, s) of `owner` (a test account with a key) for `spender`."""
        domain = {
            "name": self.token.name(),
            "version": "1",
            "chainId": chain.chain_id,
            "verifyingContract": str(self.token.address),
        }
        spender_address = str(getattr(spender, "address", spender))
        nonce = int(self.token.nonces(owner))
        return sign_permit_typed(owner.private_key, domain, str(owner.address), spender_address, value, nonce, deadline)

    # ---------------------------------------------------------------------------------------------
    # Registry and staking
    # ---------------------------------------------------------------------------------------------

    def version_params(self, metadata_uri: str = METADATA_URI) -> tuple[Any, ...]:
        """VersionParams of the shipped digits model (its real weights hash and layer commitments)."""
        meta = load_digits_meta()
        return (
            meta.model_hash,
            list(meta.layer_commitments),
            metadata_uri,
            PRICE,
            ROYALTY_BPS,
            MODES_OPTIMISTIC,
            ZERO_ADDRESS,
        )

    def stake(self, acct: Any, amount: int) -> Any:
        """approve + stake; returns the stake receipt."""
        self.token.approve(self.staking, amount, sender=acct)
        return self.staking.stake(amount, sender=acct)

    def stake_with_permit(self, acct: Any, amount: int) -> Any:
        deadline = self.deadline(3_600)
        v, r, s = self.permit(acct, self.staking, amount, deadline)
        return self.staking.stakeWithPermit(amount, deadline, v, r, s, sender=acct)

    def new_provider(self) -> Any:
        """A fresh account: ETH, OPG from the treasury, staked by permit, serving the model."""
        acct = self.new_account()
        self.fund(acct, PROVIDER_STAKE)
        self.stake_with_permit(acct, PROVIDER_STAKE)
        self.staking.serveModel(self.model_id, sender=acct)
        return acct

    # ---------------------------------------------------------------------------------------------
    # Jobs
    # ---------------------------------------------------------------------------------------------

    def create_job(self, requester: Any, data: bytes, *, permit: bool, duration: int = JOB_DURATION) -> tuple[int, Any]:
        """A job on the digits model paying PRICE; by permit (signed now) or from an existing allowance."""
        deadline = self.deadline(duration)
        args = (self.model_id, self.version, OPTIMISTIC, PRICE, deadline, data)
        if permit:
            v, r, s = self.permit(requester, self.escrow, PRICE, deadline)
            receipt = self.escrow.createJobWithPermit(*args, deadline, v, r, s, sender=requester)
        else:
            receipt = self.escrow.createJob(*args, sender=requester)
        return int(self.escrow.lastJobId()), receipt

    def claim(self, job_id: int, provider: Any) -> Any:
        return self.escrow.claimJob(job_id, job_struct(self.escrow, job_id), sender=provider)

    def submit(self, job_id: int, provider: Any, payload: Payload) -> Any:
        return self.escrow.submitResult(job_id, job_struct(self.escrow, job_id),
            payload.output, payload.trace_root, sender=provider)

    def finalize(self, job_id: int, caller: Any) -> Any:
        return self.escrow.finalizeJob(job_id, job_struct(self.escrow, job_id), sender=caller)

    def submitted_job(self, requester: Any, provider: Any, payload: Payload, *, permit: bool = False) -> int:
        """A job created, claimed and submitted (challenge window open)."""
        job_id, _ = self.create_job(requester, payload.input, permit=permit)
        self.claim(job_id, provider)
        self.submit(job_id, provider, payload)
        return job_id

    def lifecycle(self, requester: Any, provider: Any, payload: Payload) -> Lifecycle:
        """createJobWithPermit (requester) + claimJob + submitResult + finalizeJob (the provider, once the
        challenge window has passed)."""
        job_id, create = self.create_job(requester, payload.input, permit=True)
        claim = self.claim(job_id, provider)
        submit = self.submit(job_id, provider, payload)
        self.pass_challenge_window()
        finalize = self.finalize(job_id, provider)
        return Lifecycle(
            job_id,
            {"createJobWithPermit": create, "claimJob": claim, "submitResult": submit, "finalizeJob": finalize},
        )
