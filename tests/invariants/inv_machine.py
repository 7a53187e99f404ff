"""The model and invariants shared by the stateful machines (tests/invariants/test_invariants_*.py).

`ProtocolModel` keeps an exact Python model of the protocol core: every OPG balance and totalSupply, each
provider's stake position, every job (status, fee, provider, collateral, deadlines), the escrow's settled-
unswept fees, claimable fee balances, the treasury's accrued share and the fees per provider per epoch
from which owed emissions follow. Each action predicts success or the exact custom error, sends the
transaction, checks the events it emits and updates the model. After every step the invariants compare
the chain with the model (one batched read). Each example starts from a chain snapshot that teardown
restores; every transaction is mined at a timestamp the model chose, so time boundaries are exact."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

import ape
from eth_utils import keccak
from hypothesis import event
from hypothesis.stateful import RuleBasedStateMachine, invariant
from inv_helpers import (
    CLAIMED,
    CLOSED,
    INPUT,
    MAX_UINT,
    MODEL_ID,
    NONE,
    OPEN,
    OPTIMISTIC,
    OUTPUT,
    SUBMITTED,
    TEE,
    VERSION,
    BatchReader,
    Job,
    World,
    sign_permit,
)
from opg_testkit import TRACE_ROOT, job_of

from opg_client import jobstate

STATS: Counter[str] = Counter()  # outcome counts over a run (printed by the tests with -s)


class ProtocolModel(RuleBasedStateMachine):
    """Exact Python model of the protocol plus the actions (each predicts success or the exact revert,
    sends, and updates the model) and the invariants. Subclasses choose which actions are rules."""

    world: World
    chain = None
    model_id = MODEL_ID  # the model version new jobs pin

    # Hooks for machines with real inference (test_invariants_disputes.py): the job input, the submitted
    # result and the trace root a challenge repeats.
    def _job_input(self, seq: int) -> bytes:
        return INPUT + seq.to_bytes(8, "big")  # made before the job id is known

    def _result(self, job: Job) -> tuple[bytes, bytes]:
        """(output, proof) the provider submits."""
        return OUTPUT + job.id.to_bytes(8, "big"), TRACE_ROOT if job.mode == OPTIMISTIC else b"proof"

    def _trace_root(self, job: Job) -> bytes:
        return TRACE_ROOT

    def __init__(self):
        super().__init__()
        w, chain = self.world, self.chain
        self.snapshot = chain.snapshot()
        self.now = chain.blocks.head.timestamp
        self.bal = {a: w.token.balanceOf(a) for a in w.holders}
        self.supply = w.token.totalSupply()
        self.stakes = {str(p.address): list(w.staking.stakeOf(p)) for p in w.providers}
        self.jobs: dict[int, Job] = {j.id: replace(j) for j in w.initial_jobs}
        self.ended: dict[int, str] = {}  # jobId -> "paid" | "refunded", from events
        self.job_count = w.escrow.jobCount()
        self.unswept = w.escrow.settledUnswept()
        self.claimable: dict[str, int] = defaultdict(int)
        self.treasury_accrued = w.settlement.treasuryAccrued()
        self.epoch_fees: dict[int, int] = defaultdict(int)
        self.provider_fees: dict[tuple[str, int], int] = defaultdict(int)
        self.minted: dict[str, int] = defaultdict(int)
        self.allowance = {str(r.address): w.token.allowance(r, w.escrow) for r in w.requesters}
        self.stake_allowance = {str(p.address): w.token.allowance(p, w.staking) for p in w.providers}
        self.escrow_paused = self.staking_paused = False
        self.verdicts = (w.verifier.acceptProofs(), w.verifier.upholdChallenges())
        self.touched: list[int] = []
        self.claimants = [str(a.address) for a in (*w.providers, w.researcher, w.keeper)]
        self.reader = BatchReader(chain.provider.http_uri)
        self.steps = 0
        self._read_at, self._read = -1, {}
        assert self.job_count == len(self.jobs) and self.unswept == 0 and self.treasury_accrued == 0

    def teardown(self):
        self.chain.restore(self.snapshot)

    # ---------------------------------------------------------------------------------------------
    # plumbing
    # ---------------------------------------------------------------------------------------------

    @property
    def t(self) -> int:
        """Timestamp of the next transaction (every transaction is mined one second after the last)."""
        return self.now + 1

    def _send(self, expect, fn, *args, sender, **error_args):
        """Sends at `self.t`; with `expect` (a custom error) asserts the call reverts with it."""
        self.now += 1
        self.steps += 1
        self.chain.pending_timestamp = self.now
        label = f"{getattr(fn, 'method_name', fn)}: {'ok' if expect is None else expect.__name__}"
        event(label)
        STATS[label] += 1
        if expect is None:
            receipt = fn(*args, sender=sender)
            assert receipt.timestamp == self.now
            return receipt
        with ape.reverts(expect, **error_args):
            fn(*args, sender=sender)
        return None

    def _time_to(self, boundary: int, timing: str | None) -> None:
        """Travels so the next transaction is mined at `boundary` ("at") or `boundary + 1` ("after"), if
        that is not in the past."""
        if timing is None:
            return
        target = boundary + (timing == "after")
        if target - 1 > self.now:
            self.steps += 1
            self.now = target - 1
            self.chain.pending_timestamp = self.now
            self.chain.mine()
            STATS[f"time travel to a boundary ({timing})"] += 1

    def _move(self, src, dst, amount: int) -> None:
        self.bal[str(src)] -= amount
        self.bal[str(dst)] += amount
        assert self.bal[str(src)] >= 0

    def _outcomes(self, receipt, expected: dict[int, str]) -> None:
        """Records the job-closing events of `receipt`; each job may close once, and exactly the jobs the
        model closed in this step did."""
        w = self.world
        seen: dict[int, str] = {}
        for closing, kind in (
            (w.escrow.JobFinalized, "paid"),
            (w.escrow.JobCancelled, "refunded"),
            (w.escrow.JobExpired, "refunded"),
            (w.escrow.ChallengeUpheld, "refunded"),
        ):
            for log in receipt.events.filter(closing):
                job_id = log.jobId
                assert job_id not in seen and job_id not in self.ended, f"job {job_id} closed twice"
                seen[job_id] = kind
        assert seen == expected
        self.ended.update(seen)

    def _pick(self, pick: int, wanted: tuple[int, ...]) -> Job:
        """Mostly a job in one of `wanted` statuses; sometimes any job, closed or never created."""
        live = [j for j in self.jobs.values() if j.status in wanted]
        if live and pick % 5:
            job = live[pick % len(live)]
        else:
            ids = [*self.jobs, self.job_count + 1]
            job_id = ids[pick % len(ids)]
            job = self.jobs.get(job_id) or Job(job_id, str(self.world.requesters[0].address), 0, 0, 0, b"", NONE)
        if job.status != NONE:
            self.touched.append(job.id)
        return job

    def _status_error(self, job: Job, allowed: tuple[int, ...]):
        if job.status in allowed:
            return None, {}
        return self.world.escrow.InvalidJobStatus, {"jobId": job.id, "status": job.status}

    def _set_verdicts(self, accept: bool, uphold: bool) -> None:
        if self.verdicts != (accept, uphold):
            self._send(None, self.world.verifier.setVerdicts, accept, uphold, sender=self.world.deployer)
            self.verdicts = (accept, uphold)

    def _settle(self, job: Job) -> None:
        """Model of a finalized job: fee stays in escrow as settled, split credited, collateral released."""
        w = self.world
        self.unswept += job.fee
        provider_share, royalty, treasury_share = w.fee_split(job.fee)
        self.claimable[job.provider] += provider_share
        self.claimable[str(w.researcher.address)] += royalty
        self.treasury_accrued += treasury_share
        epoch = w.epoch_at(self.now)
        self.epoch_fees[epoch] += job.fee
        self.provider_fees[(job.provider, epoch)] += job.fee
        self.stakes[job.provider][1] -= job.collateral
        job.status = CLOSED

    def _slash(self, job: Job, beneficiary) -> tuple[int, int]:
        """Model of slashing the job's collateral with a reward to `beneficiary`; returns (reward, burned)."""
        w = self.world
        rewarded, burned, to_treasury = w.slash_split(job.collateral)
        s = self.stakes[job.provider]
        s[0] -= job.collateral
        s[1] -= job.collateral
        self._move(w.staking.address, beneficiary.address, rewarded)
        self._move(w.staking.address, w.treasury.address, to_treasury)
        self.bal[str(w.staking.address)] -= burned
        self.supply -= burned
        return rewarded, burned

    def _pay(self, to, amount: int) -> None:
        """RewardSettlement._pay: sweep the escrow's settled fees first if its own balance is short."""
        w = self.world
        if self.bal[str(w.settlement.address)] < amount:
            self._move(w.escrow.address, w.settlement.address, self.unswept)
            self.unswept = 0
        self._move(w.settlement.address, to, amount)

    def _owed(self, account: str, current_epoch: int) -> int:
        """Emissions earned over closed epochs minus what was minted: sum of floor(fees * E(e) / total(e))."""
        w = self.world
        earned = sum(
            fees * w.emission(e) // self.epoch_fees[e]
            for (a, e), fees in self.provider_fees.items()
            if a == account and e < current_epoch
        )
        return earned - self.minted[account]

    # ---------------------------------------------------------------------------------------------
    # providers
    # ---------------------------------------------------------------------------------------------

    def stake(self, i: int, amount: int, path: str = "approve"):
        """Stake or top-up by approve (approving first when the allowance is short) or by permit."""
        w = self.world
        p = w.providers[i]
        a = str(p.address)
        if path == "approve" and self.stake_allowance[a] < amount:
            self._send(None, w.token.approve, w.staking, MAX_UINT, sender=p)
            self.stake_allowance[a] = MAX_UINT
        allowance = amount if path == "permit" else self.stake_allowance[a]
        err = None
        if self.staking_paused:
            err = w.staking.EnforcedPause
        elif self.stakes[a][0] == 0 and amount < w.min_stake:
            err = w.staking.StakeTooLow
        elif allowance < amount:
            err = w.token.ERC20InsufficientAllowance
        elif self.bal[a] < amount:
            err = w.token.ERC20InsufficientBalance
        if path == "permit":
            deadline = self.t + 600
            v, r, s = sign_permit(w.token, p, w.staking, amount, deadline)
            receipt = self._send(err, w.staking.stakeWithPermit, amount, deadline, v, r, s, sender=p)
        else:
            receipt = self._send(err, w.staking.stake, amount, sender=p)
        if receipt is not None:
            self.stakes[a][0] += amount
            self.stake_allowance[a] = MAX_UINT if allowance == MAX_UINT else allowance - amount
            self._move(a, w.staking.address, amount)

    def unbond(self, i, how):
        w = self.world
        p = w.providers[i]
        a = str(p.address)
        active, locked, unbonding, _ = self.stakes[a]
        free = active - locked
        amount = {"free": free, "half": free // 2, "to_min": active - w.min_stake, "min": w.min_stake,
                  "over": free + 1}[how]
        err, kw = None, {}
        if amount <= 0:
            err, amount = w.staking.ZeroAmount, 0
        elif amount > free:
            err, kw = w.staking.InsufficientFreeStake, {"free": free, "need": amount}
        elif 0 < active - amount < w.min_stake:
            err = w.staking.RemainingStakeTooLow
        if self._send(err, w.staking.unbond, amount, sender=p, **kw) is not None:
            self.stakes[a] = [active - amount, locked, unbonding + amount, self.now + w.unbonding_delay]

    def withdraw(self, i, timing):
        w = self.world
        p = w.providers[i]
        a = str(p.address)
        active, locked, unbonding, unlock_at = self.stakes[a]
        if unbonding:
            self._time_to(unlock_at - 1, timing)  # "at": the last locked second; "after": the unlock second
        err = None
        if unbonding == 0:
            err = w.staking.NothingToWithdraw
        elif self.t < unlock_at:
            err = w.staking.UnbondingLocked
        if self._send(err, w.staking.withdraw, sender=p) is not None:
            self.stakes[a] = [active, locked, 0, 0]
            self._move(w.staking.address, a, unbonding)

    def claim_job(self, job: Job, i: int, timing: str | None = None):
        w = self.world
        if job.status == OPEN:
            self._time_to(job.deadline, timing)
        p = w.providers[i]
        a = str(p.address)
        err, kw = self._status_error(job, (OPEN,))
        collateral = w.collateral(job.fee)
        active, locked, _, _ = self.stakes[a]
        if err is None:
            if self.t > job.deadline:
                err = w.escrow.DeadlinePassed
            elif active < w.min_stake:
                err, kw = w.staking.StakeTooLow, {"have": active, "need": w.min_stake}
            elif active - locked < collateral:
                err, kw = w.staking.InsufficientFreeStake, {"free": active - locked, "need": collateral}
        if self._send(err, w.escrow.claimJob, job.id, job_of(w.escrow, job.id), sender=p, **kw) is not None:
            job.status, job.provider, job.collateral = CLAIMED, a, collateral
            self.stakes[a][1] += collateral

    def submit_result(self, job: Job, wrong_sender: int | None = None, accept: bool = True,
                      timing: str | None = None):
        w = self.world
        if job.status == CLAIMED:
            if job.mode == TEE:
                self._set_verdicts(accept, self.verdicts[1])  # a transaction: before any time travel
            self._time_to(job.deadline, timing)
        owner = job.provider or str(w.providers[0].address)
        others = [p for p in w.providers if str(p.address) != owner]
        mine = next(p for p in w.providers if str(p.address) == owner)
        sender = mine if wrong_sender is None else others[wrong_sender % 2]
        err, kw = self._status_error(job, (CLAIMED,))
        if err is None:
            if str(sender.address) != job.provider:
                err = w.escrow.NotProvider
            elif self.t > job.deadline:
                err = w.escrow.DeadlinePassed
            elif job.mode == TEE and not accept:
                err = w.escrow.ProofRejected
        output, proof = self._result(job)
        receipt = self._send(err, w.escrow.submitResult, job.id, job_of(w.escrow, job.id), output, proof, sender=sender,
                             **kw)
        if receipt is None:
            return
        job.output_hash = keccak(output)
        STATS[f"submit: mode {job.mode}"] += 1
        if job.mode == OPTIMISTIC:
            job.status, job.deadline = SUBMITTED, self.now + w.window
            self._outcomes(receipt, {})
        else:
            self._settle(job)
            self._outcomes(receipt, {job.id: "paid"})

    # ---------------------------------------------------------------------------------------------
    # requesters
    # ---------------------------------------------------------------------------------------------

    def create_job(self, r: int, fee: int, mode: int = OPTIMISTIC, duration: int = 3_600,
                   path: str = "approve") -> int | None:
        w = self.world
        req = w.requesters[r]
        a = str(req.address)
        if path == "approve" and self.allowance[a] < fee:
            self._send(None, w.token.approve, w.escrow, MAX_UINT, sender=req)
            self.allowance[a] = MAX_UINT
        deadline = self.t + duration
        data = self._job_input(self.job_count + 1)
        allowance = fee if path == "permit" else self.allowance[a]
        err = None
        if self.escrow_paused:
            err = w.escrow.EnforcedPause
        elif allowance < fee:
            err = w.token.ERC20InsufficientAllowance
        elif self.bal[a] < fee:
            err = w.token.ERC20InsufficientBalance
        if path == "permit":
            v, r_, s = sign_permit(w.token, req, w.escrow, fee, deadline)
            receipt = self._send(err, w.escrow.createJobWithPermit, self.model_id, VERSION, mode, fee, deadline, data,
                                 deadline, v, r_, s, sender=req)
        else:
            receipt = self._send(err, w.escrow.createJob, self.model_id, VERSION, mode, fee, deadline, data,
                                 sender=req)
        if receipt is None:
            return None
        self.job_count += 1
        job_id = int(receipt.events.filter(w.escrow.JobCreated)[0].jobId)
        assert jobstate.sequence_of(job_id) == self.job_count and job_id not in self.jobs
        self.jobs[job_id] = Job(job_id, a, fee, mode, deadline, data)
        self.touched.append(job_id)
        self.allowance[a] = MAX_UINT if allowance == MAX_UINT else allowance - fee
        self._move(a, w.escrow.address, fee)
        return job_id

    def cancel_job(self, job: Job, wrong_sender: bool = False):
        w = self.world
        sender = next(r for r in w.requesters if (str(r.address) == job.requester) != wrong_sender)
        err, kw = self._status_error(job, (OPEN,))
        if err is None and wrong_sender:
            err = w.escrow.NotRequester
        receipt = self._send(err, w.escrow.cancelJob, job.id, job_of(w.escrow, job.id), sender=sender, **kw)
        if receipt is not None:
            job.status = CLOSED
            self._move(w.escrow.address, job.requester, job.fee)
            self._outcomes(receipt, {job.id: "refunded"})

    # ---------------------------------------------------------------------------------------------
    # anyone
    # ---------------------------------------------------------------------------------------------

    def finalize_job(self, job: Job, timing: str | None = None):
        w = self.world
        if job.status == SUBMITTED:
            self._time_to(job.deadline, timing)
        err, kw = self._status_error(job, (SUBMITTED,))
        if err is None and self.t <= job.deadline:
            err = w.escrow.ChallengeWindowOpen
        receipt = self._send(err, w.escrow.finalizeJob, job.id, job_of(w.escrow, job.id), sender=w.keeper, **kw)
        if receipt is not None:
            self._settle(job)
            self._outcomes(receipt, {job.id: "paid"})

    def expire_job(self, job: Job, caller_index: int | None = None, timing: str | None = None):
        w = self.world
        if job.status in (OPEN, CLAIMED):
            self._time_to(job.deadline, timing)
        caller = w.keeper if caller_index is None else w.providers[caller_index]
        err, kw = self._status_error(job, (OPEN, CLAIMED))
        if err is None and self.t <= job.deadline:
            err = w.escrow.DeadlineNotPassed
        receipt = self._send(err, w.escrow.expireJob, job.id, job_of(w.escrow, job.id), sender=caller, **kw)
        if receipt is None:
            return
        bounty = 0
        slashed = job.collateral if job.status == CLAIMED else 0
        if job.status == CLAIMED:
            bounty, _ = self._slash(job, caller)
        job.status = CLOSED
        self._move(w.escrow.address, job.requester, job.fee)
        ev = receipt.events.filter(w.escrow.JobExpired)[0]
        assert (ev.refund, ev.slashed, ev.bounty) == (job.fee, slashed, bounty)
        self._outcomes(receipt, {job.id: "refunded"})

    def challenge(self, job: Job, uphold: bool, bad_hash: bool = False, timing: str | None = None,
                  evidence: bytes | None = None):
        """`evidence=None`: the TestVerifier rules `uphold`; else the real verifier judges `evidence` and
        `uphold` is the model's prediction of its verdict."""
        w = self.world
        if job.status == SUBMITTED:
            if evidence is None:
                self._set_verdicts(self.verdicts[0], uphold)  # a transaction: before any time travel
            self._time_to(job.deadline, timing)
        err, kw = self._status_error(job, (SUBMITTED,))
        if err is None:
            if self.t > job.deadline:
                err = w.escrow.ChallengeWindowClosed
            elif bad_hash:
                err = w.escrow.CommitmentMismatch
        output_hash = keccak(b"other") if bad_hash else (job.output_hash or keccak(b""))
        receipt = self._send(err, w.escrow.challengeResult, job.id, job_of(w.escrow, job.id), keccak(job.input),
                             output_hash, self._trace_root(job), b"evidence" if evidence is None else evidence,
                             sender=w.challenger, **kw)
        if receipt is None:
            return
        STATS[f"challenge: {'upheld' if uphold else 'rejected'}"] += 1
        if uphold:
            reward, _ = self._slash(job, w.challenger)
            job.status = CLOSED
            self._move(w.escrow.address, job.requester, job.fee)
            ev = receipt.events.filter(w.escrow.ChallengeUpheld)[0]
            assert (ev.slashed, ev.reward, ev.refund) == (job.collateral, reward, job.fee)
            self._outcomes(receipt, {job.id: "refunded"})
        else:
            self._move(w.challenger.address, w.escrow.address, w.bond)
            self.unswept += w.bond
            self.claimable[job.provider] += w.bond
            self._outcomes(receipt, {})

    def claim_rewards(self, who):
        """Claim of a provider, the model owner or the keeper (fees + emissions), or of the treasury share."""
        w = self.world
        if who == 5:
            self._claim_treasury()
            return
        acct = [*w.providers, w.researcher, w.keeper][who]
        a = str(acct.address)
        fees = self.claimable[a]
        emissions = min(self._owed(a, w.epoch_at(self.t)), w.cap - self.supply)
        err = w.settlement.NothingToClaim if fees == 0 and emissions == 0 else None
        receipt = self._send(err, w.settlement.claim, sender=acct)
        if receipt is None:
            return
        ev = receipt.events.filter(w.settlement.RewardsClaimed)[0]
        assert (ev.fees, ev.emissions) == (fees, emissions)
        STATS[f"claim: emissions {'> 0' if emissions else '= 0'}"] += 1
        self.claimable[a] = 0
        if fees:
            self._pay(a, fees)
        self.minted[a] += emissions
        self.bal[a] += emissions
        self.supply += emissions

    def _claim_treasury(self):
        w = self.world
        amount = self.treasury_accrued
        err = w.settlement.NothingToClaim if amount == 0 else None
        if self._send(err, w.settlement.claimTreasury, sender=w.keeper) is not None:
            self.treasury_accrued = 0
            self._pay(w.treasury.address, amount)

    def toggle_pause(self, target_escrow):
        w = self.world
        contract = w.escrow if target_escrow else w.staking
        paused = self.escrow_paused if target_escrow else self.staking_paused
        self._send(None, contract.unpause if paused else contract.pause, sender=w.deployer)
        if target_escrow:
            self.escrow_paused = not paused
        else:
            self.staking_paused = not paused

    def warp(self, seconds):
        self.steps += 1
        self.now += seconds
        self.chain.pending_timestamp = self.now
        self.chain.mine()

    # ---------------------------------------------------------------------------------------------
    # invariants (after every step)
    # ---------------------------------------------------------------------------------------------

    def _chain(self) -> dict:
        """Everything the invariants compare, read in one JSON-RPC batch once per step."""
        if self._read_at == self.steps:
            return self._read
        w, rd = self.world, self.reader
        u256, addr = ["uint256"], ["address"]
        idx = {("bal", h): rd.call(w.token, "balanceOf(address)", addr, [h], u256) for h in self.bal}
        idx["supply"] = rd.call(w.token, "totalSupply()", [], [], u256)
        idx["unswept"] = rd.call(w.escrow, "settledUnswept()", [], [], u256)
        idx["job_count"] = rd.call(w.escrow, "jobCount()", [], [], u256)
        watched = {j.id for j in self.jobs.values() if j.status != CLOSED} | set(self.touched)
        for job_id in watched:
            idx[("status", job_id)] = rd.call(w.escrow, "jobStatus(uint256)", u256, [job_id], ["uint8"])
        idx["total_staked"] = rd.call(w.staking, "totalStaked()", [], [], u256)
        for p in w.providers:
            idx[("stake", str(p.address))] = rd.call(
                w.staking, "stakeOf(address)", addr, [str(p.address)], ["uint256", "uint256", "uint256", "uint64"]
            )
            idx[("emissions", str(p.address))] = rd.call(
                w.settlement, "claimable(address)", addr, [str(p.address)], ["uint256", "uint256"]
            )
        for acct in self.claimants:
            idx[("account", acct)] = rd.call(w.settlement, "accountOf(address)", addr, [acct], ["uint256"] * 4)
        for owner, spender in ((r, w.escrow) for r in w.requesters):
            idx[("allowance", str(owner.address))] = rd.call(
                w.token, "allowance(address,address)", ["address", "address"], [str(owner.address),
                                                                                 str(spender.address)], u256)
        for p in w.providers:
            idx[("allowance", str(p.address))] = rd.call(
                w.token, "allowance(address,address)", ["address", "address"], [str(p.address),
                                                                                 str(w.staking.address)], u256)
        idx["treasury_accrued"] = rd.call(w.settlement, "treasuryAccrued()", [], [], u256)
        idx["epoch"] = rd.call(w.settlement, "currentEpoch()", [], [], u256)
        out = rd.flush()
        self._read = {k: out[i][0] if len(out[i]) == 1 else list(out[i]) for k, i in idx.items()}
        self._read_at = self.steps
        self.touched = []
        return self._read

    @invariant()
    def opg_conserved(self):
        c = self._chain()
        assert c["supply"] == self.supply, "totalSupply moved other than by modelled mints and burns"
        for holder, expected in self.bal.items():
            assert c[("bal", holder)] == expected, holder
        assert sum(self.bal.values()) == c["supply"], "tokens reached an address outside the model"

    @invariant()
    def allowances_follow_approve_and_permit_paths(self):
        """A permit is consumed by the job or stake it funds; an infinite approval is never drawn down."""
        c = self._chain()
        for owner, expected in (*self.allowance.items(), *self.stake_allowance.items()):
            assert c[("allowance", owner)] == expected, owner

    @invariant()
    def escrow_holds_live_fees_plus_unswept(self):
        c = self._chain()
        live = sum(j.fee for j in self.jobs.values() if j.status in (OPEN, CLAIMED, SUBMITTED))
        assert c["unswept"] == self.unswept
        assert c[("bal", str(self.world.escrow.address))] == live + self.unswept
        assert c["job_count"] == self.job_count

    @invariant()
    def jobs_end_exactly_once(self):
        c = self._chain()
        closed = {j.id for j in self.jobs.values() if j.status == CLOSED}
        assert closed == set(self.ended), "a closed job without exactly one closing event (or vice versa)"
        for key, status in c.items():
            if isinstance(key, tuple) and key[0] == "status":
                assert status == self.jobs[key[1]].status, f"job {key[1]}"

    @invariant()
    def stake_accounting(self):
        c = self._chain()
        total = 0
        for p in self.world.providers:
            a = str(p.address)
            active, locked, unbonding, unlock_at = c[("stake", a)]
            assert [active, locked, unbonding, unlock_at] == self.stakes[a], a
            assert active >= locked
            in_flight = sum(j.collateral for j in self.jobs.values() if j.provider == a and j.status in
                            (CLAIMED, SUBMITTED))
            assert locked == in_flight, "locked collateral differs from the collateral of in-flight jobs"
            total += active + unbonding
        assert c["total_staked"] == total == self.bal[str(self.world.staking.address)]

    @invariant()
    def claimables_backed_and_emissions_within_cap(self):
        w, c = self.world, self._chain()
        for acct in self.claimants:
            assert c[("account", acct)][0] == self.claimable[acct], acct
        assert c["treasury_accrued"] == self.treasury_accrued
        owed_total = sum(self.claimable.values()) + self.treasury_accrued
        assert c[("bal", str(w.settlement.address))] + c["unswept"] == owed_total
        # Views run on the latest block; `currentEpoch` says which epoch that is.
        epoch = c["epoch"]
        assert epoch in (w.epoch_at(self.now), w.epoch_at(self.now + 1))
        owed_emissions = 0
        for p in w.providers:
            owed = self._owed(str(p.address), epoch)
            assert c[("emissions", str(p.address))][1] == owed
            owed_emissions += owed
        assert owed_emissions <= w.cap - c["supply"]


