"""Agents and pluggable provider strategies.

A provider is an account plus a `ProviderStrategy` that decides what it submits for a job it was assigned
(the right output, a wrong one, or nothing: it misses the deadline). Strategies register by name in
`PROVIDER_STRATEGIES` (`--providers honest=3,lazy=1`); `dishonest` ones must end less profitable than honest
ones (an invariant). Watchers and delegators are agent kinds whose protocol features land separately: each
kind says whether this deployment / checkout supports it, and a scenario asking for an unsupported kind fails
with the reason instead of pretending.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from eth_account.signers.local import LocalAccount

from opg_client import jobstate
from opg_client.models import JobStatus, VerificationMode
from opg_client.sim.config import ScenarioConfig, ScenarioError
from opg_client.sim.inputs import digits_inputs, execute
from opg_client.sim.world import JobRecord, World

# --------------------------------------------------------------------------------------- strategies


@dataclass(frozen=True)
class Answer:
    """What a provider submits: the output bytes and the trace root (optimistic proof), and the full trace
    when the strategy has one to publish for challengers (`Trace`, e.g. a cheater's self-consistent trace)."""

    output: bytes
    trace_root: bytes
    trace: Any = None
    computed: bool = True  # the provider ran the model for it (charged `compute_cost`); a cheat is free


class ProviderStrategy:
    """What a provider does with a job it claimed. Subclass, set `name`, and `register_strategy` it."""

    name: ClassVar[str] = ""
    dishonest: ClassVar[bool] = False

    def __init__(self, config: ScenarioConfig) -> None:
        self.config = config

    def wants(self, job: JobRecord, rng: random.Random) -> bool:
        """Whether to claim `job` (called when the job is offered to this provider)."""
        return True

    def answer(self, job: JobRecord, rng: random.Random) -> Answer | None:
        """What to submit, or None to miss the deadline."""
        raise NotImplementedError

    @classmethod
    def unavailable(cls, world: World) -> str | None:
        """Why this strategy cannot run on this deployment (None: it can)."""
        return None


class Honest(ProviderStrategy):
    """Runs the real model and submits the right output every time."""

    name = "honest"

    def answer(self, job: JobRecord, rng: random.Random) -> Answer | None:
        return Answer(job.correct_output, job.correct_trace_root)


class Lazy(ProviderStrategy):
    """Claims jobs, then misses the deadline on a share of them (`lazy_miss_bps`): collateral slashed on expiry."""

    name = "lazy"
    dishonest = True

    def answer(self, job: JobRecord, rng: random.Random) -> Answer | None:
        if rng.randrange(10_000) < self.config.lazy_miss_bps:
            return None
        return Answer(job.correct_output, job.correct_trace_root)


class Cheater(ProviderStrategy):
    """Submits a wrong result on `cheat_bps` of its jobs (`opg_client.fraud.CheatPolicy`, drawn by
    keccak(seed, jobId)): one entry of one layer's output corrupted and the rest of the model run on it, so the
    trace is self-consistent after that layer; it publishes that trace for challengers. Only a fraud proof
    (the deployment's optimistic verifier, a watcher) catches it."""

    name = "cheater"
    dishonest = True

    def __init__(self, config: ScenarioConfig) -> None:
        super().__init__(config)
        from opg_client.fraud import CheatPolicy

        self.policy = CheatPolicy(rate=config.cheat_bps / 10_000, seed=config.seed)

    def answer(self, job: JobRecord, rng: random.Random) -> Answer | None:
        from opg_client.runtime import encode_vector, trace_root
        from opg_client.sim.inputs import digits_model

        tr, cheat = self.policy.trace(digits_model(), list(job.x), job.job_id)
        if cheat is None:
            return Answer(job.correct_output, job.correct_trace_root, tr)
        return Answer(encode_vector(tr.output, "output"), trace_root(tr), tr, computed=False)

    @classmethod
    def unavailable(cls, world: World) -> str | None:
        return _no_fraud_proofs(world)


def _no_fraud_proofs(world: World) -> str | None:
    """None when the deployment on the fork judges optimistic challenges (a verifier is set)."""
    verifier = world.client.contract("InferenceEscrow").functions.verifier(int(VerificationMode.Optimistic)).call()
    if int(verifier, 16) == 0:
        return "the deployment has no optimistic verifier (fraud proofs): nothing could catch a cheat"
    return None


PROVIDER_STRATEGIES: dict[str, type[ProviderStrategy]] = {}


def register_strategy(cls: type[ProviderStrategy]) -> type[ProviderStrategy]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    PROVIDER_STRATEGIES[cls.name] = cls
    return cls


register_strategy(Honest)
register_strategy(Lazy)
register_strategy(Cheater)



def strategy_for(name: str, config: ScenarioConfig) -> ProviderStrategy:
    found = PROVIDER_STRATEGIES.get(name)
    if found is None:
        raise ScenarioError(f"unknown provider strategy {name!r} (known: {', '.join(sorted(PROVIDER_STRATEGIES))})")
    return found(config)


# --------------------------------------------------------------------------------------------- agents


class Agent:
    kind: ClassVar[str] = ""

    def __init__(self, name: str, account: LocalAccount) -> None:
        self.name = name
        self.account = account
        self.address: str = account.address


class ResearcherAgent(Agent):
    """Publishes the shipped digits model on the fork at the scenario's price (real weights hash and layer
    commitments); receives royalties."""

    kind = "researcher"

    def publish(self, world: World) -> int:
        from opg_client.roles import Researcher
        from opg_client.runtime import layer_commitments, model_hash
        from opg_client.sim.inputs import digits_model

        model = digits_model()
        params = Researcher.params(
            model_hash(model), layer_commitments(model), "opg://digits/sim", world.config.fee,
            world.config.royalty_bps, [VerificationMode.Optimistic],
        )
        pending = world.client.registry.register_model(self.account, params)
        receipt = world.send(self.account, pending, "registerModel")
        return world.client.registry.published(receipt).model_id


class RequesterAgent(Agent):
    """Pays for jobs on the digits model with real test-split inputs (one approval, then createJob)."""

    kind = "requester"

    def __init__(self, name: str, account: LocalAccount, index: int) -> None:
        super().__init__(name, account)
        self.index = index
        self.created = 0

    def approve(self, world: World, budget: int) -> None:
        escrow = world.client.escrow.address
        world.send(self.account, world.client.token.approve(self.account, escrow, budget), "approve")

    def create_jobs(self, world: World, n: int) -> list[JobRecord]:
        client = world.client
        out = []
        offset = 1_000 * self.index + self.created
        for x in digits_inputs(n, offset=offset):
            data = _encode_input(x)
            deadline = world.now() + world.config.job_ttl
            pending = client.escrow.create_job(
                self.account, world.model_id, world.version, VerificationMode.Optimistic, world.config.fee, deadline,
                data,
            )
            receipt = client.sender(self.account).wait(pending)
            created = client.escrow.created(receipt)
            output, root = execute(x)
            job = JobRecord(
                job_id=created.job_id, requester=self.address, fee=created.fee, input=data, x=tuple(x),
                correct_output=output, correct_trace_root=root, input_hash=created.input_hash,
                created_at=world.block_time(receipt),
                created_block=int(receipt["blockNumber"]), deadline=created.deadline, collateral=created.collateral,
            )
            world.jobs[job.job_id] = job
            job.add_gas("createJob", receipt)
            world.gas_steps.setdefault("createJob", []).append(int(receipt["gasUsed"]))
            out.append(job)
        self.created += n
        return out


def _encode_input(x: list[int]) -> bytes:
    from opg_client.runtime import encode_vector

    return encode_vector(x, "input")


class ProviderAgent(Agent):
    """Stakes, serves the model, claims the jobs it is offered and answers them as its strategy says."""

    kind = "provider"

    def __init__(self, name: str, account: LocalAccount, strategy: ProviderStrategy) -> None:
        super().__init__(name, account)
        self.strategy = strategy
        self.claimed: list[int] = []
        self.submitted = 0
        self.missed = 0
        self.wrong = 0
        self.computed = 0  # results it ran the model for (each costs `compute_cost` off chain)

    def join(self, world: World, stake: int) -> None:
        client = world.client
        world.send(self.account, client.staking.stake_with_permit(self.account, stake), "stakeWithPermit")
        world.send(self.account, client.staking.serve_model(self.account, world.model_id), "serveModel")
        if world.config.delegators:  # terms that favour delegators apply at once
            config = world.config
            pending = client.staking.set_delegation_terms(self.account, config.reward_cut_bps, config.fee_share_bps)
            world.send(self.account, pending, "setDelegationTerms")

    def can_take(self, world: World, job: JobRecord) -> bool:
        return world.client.staking.free_stake(self.address) >= job.collateral

    def claim(self, world: World, job: JobRecord) -> None:
        receipt = world.send(self.account, world.client.escrow.claim_job(self.account, job.job_id), "claimJob", job)
        args = world.client.escrow.event_in(receipt, "JobClaimed")
        job.provider = self.address
        job.collateral = int(args["collateral"])
        self.claimed.append(job.job_id)

    def answer(self, world: World, job: JobRecord) -> None:
        answer = self.strategy.answer(job, world.rng)
        if answer is None:
            self.missed += 1
            return
        pending = world.client.escrow.submit_result(self.account, job.job_id, answer.output, answer.trace_root)
        receipt = world.send(self.account, pending, "submitResult", job)
        args = world.client.escrow.event_in(receipt, "ResultSubmitted")
        job.submitted_at = world.block_time(receipt)
        job.submitted_block = int(receipt["blockNumber"])
        job.challenge_end = int(args["challengeEnd"])
        job.trace_root = answer.trace_root
        job.output_hash = bytes(args["outputHash"])
        if answer.trace is not None and world.board is not None:
            world.board.publish_trace(job.job_id, answer.trace)
        job.output_correct = answer.output == job.correct_output and answer.trace_root == job.correct_trace_root
        self.submitted += 1
        self.wrong += not job.output_correct
        self.computed += answer.computed


class KeeperAgent(Agent):
    """Keeps the network moving: finalizes matured results, expires overdue jobs (for the bounty), and pays out
    the treasury's accrued fees. Anyone may do this; the sim tracks its account like any other."""

    kind = "keeper"

    def settle(self, world: World) -> None:
        client = world.client
        now = world.now()
        for job in sorted(world.jobs_in("open"), key=lambda j: jobstate.sequence_of(j.job_id)):
            status = client.escrow.job_status(job.job_id)
            if status == JobStatus.Submitted and job.challenge_end is not None and now > job.challenge_end:
                receipt = world.send(self.account, client.escrow.finalize_job(self.account, job.job_id),
                                     "finalizeJob", job)
                job.outcome, job.closed_at = "finalized", world.block_time(receipt)
            elif status in (JobStatus.Open, JobStatus.Claimed) and now > job.deadline:
                receipt = world.send(self.account, client.escrow.expire_job(self.account, job.job_id),
                                     "expireJob", job)
                args = client.escrow.event_in(receipt, "JobExpired")
                job.outcome, job.closed_at = "expired", world.block_time(receipt)
                world.events.append({"event": "JobExpired", "job_id": job.job_id, "slashed": int(args["slashed"]),
                                     "bounty": int(args["bounty"])})
            elif status == JobStatus.Closed:
                job.outcome = job.outcome if job.outcome != "open" else "closed"

    def claim_treasury(self, world: World) -> None:
        if world.client.rewards.treasury_accrued() > 0:
            world.send(self.account, world.client.rewards.claim_treasury(self.account), "claimTreasury")


class WatcherAgent(Agent):
    """Re-executes submitted optimistic results (`opg_client.fraud.Challenger`: the runtime, the providers'
    published traces) and challenges wrong ones with a fraud proof, posting the bond; inspects each result
    with probability `watch_bps` (limited attention). Earns the slash reward of upheld challenges."""

    kind = "watcher"

    def __init__(self, name: str, account: LocalAccount) -> None:
        super().__init__(name, account)
        self.inspected = 0
        self.challenged = 0
        self.upheld = 0
        self.rewards = 0
        self._challenger: Any = None

    def challenger(self, world: World) -> Any:
        if self._challenger is None:
            from opg_client.fraud import Challenger
            from opg_client.sim.inputs import digits_model

            self._challenger = Challenger(world.client, self.account, lambda _m, _v: digits_model(), world.board)
        return self._challenger

    def watch(self, world: World, job: JobRecord) -> None:
        """Inspect `job` (Submitted, inside its window) and challenge it if the re-execution disagrees."""
        from opg_client.fraud import Observation

        self.inspected += 1
        assert job.provider is not None and job.trace_root is not None and job.output_hash is not None
        assert job.challenge_end is not None
        obs = Observation(
            job_id=job.job_id, requester=job.requester, provider=job.provider, model_id=world.model_id,
            version=world.version, mode=VerificationMode.Optimistic, fee=job.fee, input=job.input,
            input_hash=job.input_hash, output_hash=job.output_hash, trace_root=job.trace_root,
            challenge_end=job.challenge_end,
        )
        _verdict, _ruling, pending = self.challenger(world).check_and_challenge(obs)
        if pending is None:
            return
        self.challenged += 1
        job.challenged += 1
        receipt = world.send(self.account, pending, "challengeResult", job)
        escrow = world.client.escrow
        upheld = escrow.events_in(receipt, "ChallengeUpheld")
        if upheld:
            self.upheld += 1
            self.rewards += int(upheld[0]["reward"])
            job.outcome, job.closed_at = "upheld", world.block_time(receipt)
        world.events.append({"event": "ChallengeUpheld" if upheld else "ChallengeRejected", "job_id": job.job_id,
                             "watcher": self.name})


def watch_round(world: World, watchers: list[WatcherAgent], jobs: list[JobRecord]) -> None:
    """Each submitted job of the round is looked at by the watchers in a seeded random order; each inspects it
    with probability `watch_bps`; the first to find it wrong challenges it (it then closes)."""
    for job in jobs:
        order = list(watchers)
        world.rng.shuffle(order)
        for watcher in order:
            if job.outcome != "open" or job.submitted_at is None:
                break
            if world.rng.randrange(10_000) < world.config.watch_bps:
                watcher.watch(world, job)


class DelegatorAgent(Agent):
    """A token holder who delegates `delegation` OPG to one provider (picked by the seeded RNG, whatever its
    strategy: delegators cannot see honesty up front), shares its slashes pro rata and claims its delegators'
    rewards after every epoch."""

    kind = "delegator"

    def __init__(self, name: str, account: LocalAccount) -> None:
        super().__init__(name, account)
        self.provider: ProviderAgent | None = None
        self.claimed = 0

    def delegate(self, world: World, provider: ProviderAgent) -> None:
        self.provider = provider
        pending = world.client.staking.delegate_with_permit(self.account, provider.address, world.config.delegation)
        world.send(self.account, pending, "delegateStake")

    def claim(self, world: World) -> None:
        if self.provider is None:
            return
        staking = world.client.staking
        if staking.delegation_of(self.address, self.provider.address).rewards == 0:
            return
        receipt = world.send(
            self.account, staking.claim_delegator_rewards(self.account, self.provider.address), "claimDelegatorRewards"
        )
        self.claimed += int(staking.event_in(receipt, "DelegatorRewardsClaimed")["amount"])


def delegation_unavailable(world: World) -> str | None:
    """None when the deployment's staking contract takes delegations."""
    abi = world.client.contract("ProviderStaking").abi
    if not any(item.get("name") == "delegateStake" for item in abi):
        return "the deployment's ProviderStaking has no delegation (delegateStake)"
    return None


def claim_rewards(world: World, agents: list[Agent]) -> dict[str, tuple[int, int]]:
    """Every agent with a claimable balance claims it; returns name -> (fees, emissions) claimed."""
    out = {}
    for agent in agents:
        if world.client.rewards.claimable(agent.address).total == 0:
            continue
        receipt = world.send(agent.account, world.client.rewards.claim(agent.account), "claim")
        claimed = world.client.rewards.claimed(receipt)
        out[agent.name] = (claimed.fees, claimed.emissions)
    return out
