"""Fixtures of the invariant machines and adversarial tests: the full wired suite (`suite` from
tests/conftest.py), one model version (optimistic + TEE) with a TestVerifier for both modes, three
providers (two staked, one not yet), two requesters, a challenger and a keeper, all funded."""

import ape
import pytest
from eth_utils import keccak
from inv_helpers import (
    CLAIMED,
    INPUT,
    MAX_UINT,
    MODEL_ID,
    MODES_MASK,
    OPG,
    OPTIMISTIC,
    OUTPUT,
    PRICE,
    ROYALTY_BPS,
    SUBMITTED,
    VERSION,
    Job,
    World,
    sign_permit,
)
from opg_testkit import TRACE_ROOT, job_of

PROVIDER_FUNDS = 20_000 * OPG
REQUESTER_FUNDS = 5_000 * OPG
CHALLENGER_FUNDS = 2_000 * OPG
INITIAL_STAKES = (3_000 * OPG, 1_500 * OPG, 0)


@pytest.fixture(scope="module", autouse=True)
def _quiet_revert_traces():
    """Ape fetches and prints the call trace of every reverted transaction; the machines send hundreds on
    purpose. Skip the printing (the custom error is still decoded and matched by `ape.reverts`)."""
    from ape_ethereum.trace import Trace

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Trace, "show", lambda self, *args, **kwargs: None)
        yield


@pytest.fixture(scope="module")
def inv_world(project, accounts, chain, suite, deployer, treasury, researcher, provider, provider2, requester, watcher,
              stranger):
    token, staking, escrow, settlement = suite.token, suite.staking, suite.escrow, suite.settlement
    model_id = suite.registry.registerModel(
        (b"\x11" * 32, [b"\x22" * 32, b"\x33" * 32], "ipfs://inv", PRICE, ROYALTY_BPS, MODES_MASK,
         ape.utils.ZERO_ADDRESS),
        sender=researcher,
    ).return_value
    assert model_id == MODEL_ID
    verifier = deployer.deploy(project.TestVerifier)
    for mode in (0, 1):
        escrow.setVerifier(mode, verifier, sender=deployer)

    providers = [provider, provider2, accounts[8]]
    requesters = [requester, accounts[9]]
    for acct, amount in [*((p, PROVIDER_FUNDS) for p in providers), *((r, REQUESTER_FUNDS) for r in requesters),
                         (watcher, CHALLENGER_FUNDS), (stranger, 100 * OPG)]:
        token.transfer(acct, amount, sender=treasury)
    for p, amount in zip(providers, INITIAL_STAKES, strict=True):
        token.approve(staking, MAX_UINT, sender=p)
        staking.serveModel(MODEL_ID, sender=p)
        if amount:
            staking.stake(amount, sender=p)
    token.approve(escrow, MAX_UINT, sender=requesters[0])
    token.approve(escrow, MAX_UINT, sender=watcher)

    ratio_bps, min_collateral = escrow.collateralTerms()
    world = World(
        token=token, registry=suite.registry, staking=staking, settlement=settlement, escrow=escrow,
        verifier=verifier, deployer=deployer, treasury=treasury, researcher=researcher, providers=providers,
        requesters=requesters, challenger=watcher, keeper=stranger,
        min_stake=staking.minStake(), unbonding_delay=staking.unbondingDelay(),
        epoch_length=settlement.EPOCH_LENGTH(), genesis_time=settlement.GENESIS_TIME(),
        initial_emission=settlement.INITIAL_EMISSION(), decay_bps=settlement.DECAY_BPS(),
        treasury_fee_bps=settlement.treasuryFeeBps(), ratio_bps=ratio_bps, min_collateral=min_collateral,
        window=escrow.challengeWindow(), bond=escrow.challengeBond(), reward_bps=staking.slashRewardBps(),
        burn_bps=staking.slashBurnBps(), cap=token.cap(),
    )
    _initial_jobs(world, chain)
    return world


def _initial_jobs(w: World, chain) -> None:
    """Three jobs every example starts from: Open (approve path), Claimed, Submitted (permit path)."""
    req0, req1 = w.requesters
    p0, p1 = str(w.providers[0].address), str(w.providers[1].address)
    for n, (req, fee, claimer, submit) in enumerate(
        [(req0, 25 * OPG, None, False), (req0, 60 * OPG, p0, False), (req1, 150 * OPG, p1, True)], start=1
    ):
        data = INPUT + n.to_bytes(4, "big")
        deadline = chain.pending_timestamp + 7_200
        if req == req0:
            w.escrow.createJob(MODEL_ID, VERSION, OPTIMISTIC, fee, deadline, data, sender=req)
        else:
            v, r, s = sign_permit(w.token, req, w.escrow, fee, deadline)
            w.escrow.createJobWithPermit(MODEL_ID, VERSION, OPTIMISTIC, fee, deadline, data, deadline, v, r, s,
                                         sender=req)
        job = Job(n, str(req.address), fee, OPTIMISTIC, deadline, data)
        assert w.escrow.jobCount() == n
        if claimer:
            w.escrow.claimJob(n, job_of(w.escrow, n), sender=claimer)
            job.status, job.provider, job.collateral = CLAIMED, claimer, w.collateral(fee)
        if submit:
            output = OUTPUT + n.to_bytes(4, "big")
            receipt = w.escrow.submitResult(n, job_of(w.escrow, n), output, TRACE_ROOT, sender=claimer)
            job.status, job.deadline, job.output_hash = SUBMITTED, receipt.timestamp + w.window, keccak(output)
        assert job_of(w.escrow, n).deadline == job.deadline
        w.initial_jobs.append(job)
