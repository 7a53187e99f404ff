"""The epoch loop: set up the fork and the agents, run rounds of jobs with time travel, settle each epoch,
then measure and check the invariants.

    upstream = start_upstream()                       # or an RPC URL of your own (config.fork_url)
    result = run_scenario(ScenarioConfig(seed=7), upstream_url=upstream.url, manifest=upstream.manifest)
    result.metrics["by_strategy"]["honest"]["profit_per_job_wei"]

Accounts: the agents are Anvil-mnemonic accounts from index 100 on (never the dev accounts 0-9 the upstream
history used); they get gas money by `anvil_setBalance` and OPG from the treasury (impersonated).
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opg_client.localchain import dev_account
from opg_client.manifest import Manifest
from opg_client.sim.agents import (
    Agent,
    DelegatorAgent,
    KeeperAgent,
    ProviderAgent,
    RequesterAgent,
    ResearcherAgent,
    WatcherAgent,
    _no_fraud_proofs,
    claim_rewards,
    delegation_unavailable,
    strategy_for,
    watch_round,
)
from opg_client.sim.chain import ForkChain, SimChainError, admin_of
from opg_client.sim.config import ScenarioConfig, ScenarioError
from opg_client.sim.invariants import check_invariants
from opg_client.sim.metrics import collect_metrics, take_snapshot
from opg_client.sim.world import World

ACCOUNT_BASE = 100  # first mnemonic index the sim's agents use
WATCHER_BONDS = 20  # challenge bonds each watcher is funded with


@dataclass
class Cast:
    researcher: ResearcherAgent
    keeper: KeeperAgent
    requesters: list[RequesterAgent]
    providers: list[ProviderAgent]
    watchers: list[WatcherAgent]
    delegators: list[DelegatorAgent]

    def everyone(self) -> list[Agent]:
        return [self.researcher, self.keeper, *self.requesters, *self.providers, *self.watchers, *self.delegators]


@dataclass
class ScenarioResult:
    metrics: dict[str, Any]
    invariants: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return all(i["ok"] for i in self.invariants)


Progress = Callable[[str], None]


def run_scenario(
    config: ScenarioConfig,
    *,
    upstream_url: str,
    manifest: Manifest | None,
    artifacts: Any = None,
    progress: Progress | None = None,
    before_checks: Callable[[World, Cast], None] | None = None,
    fork: ForkChain | None = None,
) -> ScenarioResult:
    """One run on a fresh fork of `upstream_url` (stopped afterwards), or on `fork` if given (left running).
    `manifest`: the deployment on the upstream (None: deploy a fresh suite on the fork). `before_checks` lets
    tests tamper with the fork."""
    say = progress or (lambda _text: None)
    check_kinds(config)
    started = time.monotonic()
    fork = fork or ForkChain.start(upstream_url)
    try:
        say(f"fork of {upstream_url} at block {fork.fork_block} on {fork.url}")
        client, deployment = _deployment(fork, config, manifest, artifacts)
        world = World(config, client, fork, random.Random(config.seed))
        _apply_parameters(world, deployment)
        cast = _cast(world)
        _check_supported(world, cast)
        _fund(world, cast)
        start = take_snapshot(world, cast)
        _join(world, cast)
        first_epoch = _run_epochs(world, cast, say)
        if before_checks is not None:
            before_checks(world, cast)
        end = take_snapshot(world, cast)
        metrics = collect_metrics(world, cast, start, end, first_epoch)
        metrics["chain"] = {
            "upstream_url": upstream_url,
            "fork_url": fork.url,
            "fork_block": fork.fork_block,
            "deployment": deployment,
            "blocks": end.block - start.block,
        }
        metrics["elapsed_s"] = round(time.monotonic() - started, 2)
        invariants = check_invariants(world, metrics, start, end)
        metrics["invariants"] = invariants
        return ScenarioResult(metrics, invariants)
    finally:
        fork.stop()


def check_kinds(config: ScenarioConfig) -> None:
    for name, n in config.providers:
        if n:
            strategy_for(name, config)  # raises ScenarioError for unknown / not-yet-available strategies


def _check_supported(world: World, cast: Cast) -> None:
    """Agent kinds the deployment on the fork cannot serve (e.g. cheaters / watchers without fraud proofs)."""
    for strategy in {type(p.strategy) for p in cast.providers}:
        reason = strategy.unavailable(world)
        if reason:
            raise ScenarioError(f"provider strategy {strategy.name!r} cannot run here: {reason}")
    if cast.watchers:
        reason = _no_fraud_proofs(world)
        if reason:
            raise ScenarioError(f"watchers cannot run here: {reason}")
    if cast.delegators:
        reason = delegation_unavailable(world)
        if reason:
            raise ScenarioError(f"delegators cannot run here: {reason}")
    if cast.watchers or any(p.strategy.name == "cheater" for p in cast.providers):
        from opg_client.fraud import TraceBoard

        world.board = TraceBoard()  # in memory: cheaters publish their traces, watchers open them


# ------------------------------------------------------------------------------------------- set-up


def _deployment(
    fork: ForkChain, config: ScenarioConfig, manifest: Manifest | None, artifacts: Any
) -> tuple[Any, str]:
    """The client on the fork, and "forked" (the upstream deployment) or "fresh" (deployed on the fork: no
    manifest, or an `emission` differing from the deployed settlement's, which is immutable)."""
    from opg_client.chain import OpgClient

    if manifest is not None:
        forked = dataclasses.replace(manifest, rpc_url=fork.url)
        client = OpgClient.connect(forked)
        deployed = int(client.contract("RewardSettlement").functions.INITIAL_EMISSION().call())
        if config.emission is None or config.emission == deployed:
            return client, "forked"
    from opg_client.demo import find_artifacts
    from opg_client.localchain import deploy_local

    fork.fund_eth([dev_account(0).address, dev_account(1).address])
    overrides = {
        k: v
        for k, v in (
            ("initial_emission", config.emission),
            ("collateral_ratio_bps", config.collateral_ratio_bps),
            ("min_collateral", config.min_collateral),
            ("challenge_window", config.challenge_window),
            ("challenge_bond", config.bond),
        )
        if v is not None
    }
    arts = artifacts if artifacts is not None else find_artifacts()
    fresh, _gas = deploy_local(fork.url, artifacts=arts, handover=False, network="sim-fork", **overrides)
    fresh = dataclasses.replace(fresh, params={**fresh.params, "deployer": dev_account(0).address})
    return OpgClient.connect(fresh), "fresh"


def _apply_parameters(world: World, deployment: str) -> None:
    """On a forked deployment, governance (impersonated on the fork) sets the scenario's mutable parameters."""
    config, client = world.config, world.client
    if deployment == "fresh":
        return
    escrow = client.contract("InferenceEscrow")
    calls = []
    if config.collateral_ratio_bps is not None or config.min_collateral is not None:
        ratio, minimum = escrow.functions.collateralTerms().call()
        ratio = ratio if config.collateral_ratio_bps is None else config.collateral_ratio_bps
        minimum = minimum if config.min_collateral is None else config.min_collateral
        calls.append(escrow.functions.setCollateralTerms(ratio, minimum))
    if config.challenge_window is not None:
        calls.append(escrow.functions.setChallengeWindow(config.challenge_window))
    if config.bond is not None:
        calls.append(escrow.functions.setChallengeBond(config.bond))
    if not calls:
        return
    admin = admin_of(client)
    for call in calls:
        try:
            world.fork.send_as(admin, escrow.address, call._encode_transaction_data())
        except SimChainError as exc:
            raise ScenarioError(f"governance could not apply {call.fn_name}{tuple(call.args)}: {exc}") from None


def _cast(world: World) -> Cast:
    config = world.config
    index = iter(range(ACCOUNT_BASE, 1_000))
    researcher = ResearcherAgent("researcher", dev_account(next(index)))
    keeper = KeeperAgent("keeper", dev_account(next(index)))
    requesters = [RequesterAgent(f"requester{i + 1}", dev_account(next(index)), i) for i in range(config.requesters)]
    providers = []
    for name, n in config.providers:
        for i in range(n):
            providers.append(ProviderAgent(f"{name}{i + 1}", dev_account(next(index)), strategy_for(name, config)))
    watchers = [WatcherAgent(f"watcher{i + 1}", dev_account(next(index))) for i in range(config.watchers)]
    delegators = [DelegatorAgent(f"delegator{i + 1}", dev_account(next(index))) for i in range(config.delegators)]
    return Cast(researcher, keeper, requesters, providers, watchers, delegators)


def _budget(config: ScenarioConfig) -> int:
    return config.fee * config.jobs_per_round * config.rounds_per_epoch * config.epochs


def _fund(world: World, cast: Cast) -> None:
    """Gas money by cheat code; OPG from the treasury (impersonated): stakes and job budgets."""
    client, config = world.client, world.config
    world.fork.fund_eth([a.address for a in cast.everyone()])
    treasury = client.manifest.params.get("treasury")
    if not treasury:
        raise ScenarioError("the manifest names no treasury to fund the agents from")
    grants = [(p.address, config.stake) for p in cast.providers]
    grants += [(r.address, _budget(config)) for r in cast.requesters]
    bond = config.bond if config.bond is not None else client.escrow.challenge_bond()
    grants += [(w.address, WATCHER_BONDS * bond) for w in cast.watchers]
    grants += [(d.address, config.delegation) for d in cast.delegators]
    need = sum(amount for _, amount in grants)
    have = client.token.balance_of(treasury)
    if have < need:
        raise ScenarioError(f"the treasury holds {have} wei of OPG, the agents need {need}")
    token = client.contract("OPGToken")
    for address, amount in grants:
        data = token.functions.transfer(address, amount)._encode_transaction_data()
        world.fork.send_as(treasury, token.address, data)


def _join(world: World, cast: Cast) -> None:
    world.model_id = cast.researcher.publish(world)
    for provider in cast.providers:
        provider.join(world, world.config.stake)
    for requester in cast.requesters:
        requester.approve(world, _budget(world.config))
    for delegator in cast.delegators:
        delegator.delegate(world, world.rng.choice(cast.providers))


# ---------------------------------------------------------------------------------------------- loop


def _epoch_clock(world: World) -> tuple[int, int]:
    rewards = world.client.contract("RewardSettlement")
    return int(rewards.functions.GENESIS_TIME().call()), int(rewards.functions.EPOCH_LENGTH().call())


def _run_epochs(world: World, cast: Cast, say: Progress) -> int:
    config = world.config
    genesis, length = _epoch_clock(world)
    window = world.client.escrow.challenge_window()
    spacing = length // config.rounds_per_epoch
    first_epoch = world.client.rewards.current_epoch() + 1
    for e in range(config.epochs):
        epoch = first_epoch + e
        epoch_start = genesis + epoch * length
        world.fork.warp_to(epoch_start)
        for r in range(config.rounds_per_epoch):
            world.fork.warp_to(epoch_start + r * spacing + 1)
            _round(world, cast)
            # Past every open job's deadline and challenge window (rounds longer than the spacing spill over).
            open_jobs = world.jobs_in("open")
            latest = max([max(j.deadline, j.challenge_end or 0) for j in open_jobs], default=world.now())
            world.fork.warp_to(latest + 1)
            cast.keeper.settle(world)
        world.fork.warp_to(genesis + (world.client.rewards.current_epoch() + 1) * length + 1)
        claim_rewards(world, [*cast.providers, cast.researcher])
        for delegator in cast.delegators:
            delegator.claim(world)
        cast.keeper.claim_treasury(world)
        say(f"epoch {e + 1}/{config.epochs}: {len(world.jobs)} jobs so far, window {window} s")
    return first_epoch


def _round(world: World, cast: Cast) -> None:
    jobs = []
    for requester in cast.requesters:
        jobs += requester.create_jobs(world, world.config.jobs_per_round)
    for job in jobs:
        offered = [p for p in cast.providers if p.strategy.wants(job, world.rng)]
        world.rng.shuffle(offered)
        taker = next((p for p in offered if p.can_take(world, job)), None)
        if taker is None:
            continue  # nobody has the free stake: the job stays open and expires (full refund)
        taker.claim(world, job)
        taker.answer(world, job)
    if cast.watchers:
        watch_round(world, cast.watchers, [j for j in jobs if j.submitted_at is not None])
