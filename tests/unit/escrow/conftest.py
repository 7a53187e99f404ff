"""Fixtures of the escrow tests: every real contract (OPGToken, ModelRegistry, ProviderStaking,
RewardSettlement, InferenceEscrow) deployed and wired as the deploy script will, a TestVerifier for
every mode, a staked provider serving model 1, and a funded requester."""


import ape
import pytest
from escrow_helpers import (
    BOND,
    DECAY_BPS,
    EPOCH,
    GENESIS,
    INITIAL_EMISSION,
    INPUT,
    MAX_ROYALTY_BPS,
    MIN_COLLATERAL,
    MIN_STAKE,
    OPG,
    OPTIMISTIC,
    PRICE,
    RATIO_BPS,
    ROYALTY_BPS,
    TREASURY_FEE_BPS,
    UNBONDING_DELAY,
    WINDOW,
    create_address,
)
from opg_testkit import job_of


@pytest.fixture(scope="module")
def opg(project, deployer, treasury, requester, provider, provider2, stranger, watcher):
    token = deployer.deploy(project.OPGToken, deployer, treasury, GENESIS)
    for acct in (requester, provider, provider2, stranger, watcher):
        token.transfer(acct, 100_000 * OPG, sender=treasury)
    return token


@pytest.fixture(scope="module")
def registry(project, deployer, researcher):
    reg = deployer.deploy(project.ModelRegistry, deployer, MAX_ROYALTY_BPS)
    layers = [b"\x22" * 32, b"\x33" * 32]
    # model 1: every mode; model 2: optimistic only
    reg.registerModel(
        # ZK needs a circuit verifier on the version; the escrow never calls it (its ZK verifier is a TestVerifier)
        (b"\x11" * 32, layers, "ipfs://m1", PRICE, ROYALTY_BPS, 7, "0x000000000000000000000000000000000000dEaD"),
        sender=researcher,
    )
    reg.registerModel(
        (b"\x44" * 32, layers, "ipfs://m2", PRICE, ROYALTY_BPS, 1, ape.utils.ZERO_ADDRESS), sender=researcher
    )
    return reg


@pytest.fixture(scope="module")
def staking(project, deployer, treasury, opg, registry):
    # No escrow by address: these tests grant the escrow JOB_MANAGER_ROLE (the role path of the job-manager check).
    return deployer.deploy(
        project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, UNBONDING_DELAY, ape.utils.ZERO_ADDRESS
    )


@pytest.fixture(scope="module")
def settlement(project, deployer, treasury, opg, registry, staking, chain):
    # The escrow is the deployer's next contract (registry and staking already exist): the settlement names
    # it, the escrow checks it.
    escrow_address = create_address(deployer.address, deployer.nonce + 1)
    return deployer.deploy(
        project.RewardSettlement,
        opg,
        escrow_address,
        deployer,
        treasury,
        0,
        EPOCH,
        INITIAL_EMISSION,
        DECAY_BPS,
        TREASURY_FEE_BPS,
    )


@pytest.fixture(scope="module")
def escrow(project, deployer, opg, registry, staking, settlement):
    contract = deployer.deploy(
        project.InferenceEscrow,
        opg,
        registry,
        staking,
        settlement,
        deployer,
        RATIO_BPS,
        MIN_COLLATERAL,
        WINDOW,
        BOND,
    )
    assert settlement.ESCROW() == contract.address
    opg.grantRole(opg.MINTER_ROLE(), settlement, sender=deployer)
    staking.grantRole(staking.JOB_MANAGER_ROLE(), contract, sender=deployer)
    staking.grantRole(staking.SLASHER_ROLE(), contract, sender=deployer)
    return contract


@pytest.fixture(scope="module")
def verifier(project, deployer, escrow):
    v = deployer.deploy(project.TestVerifier)
    for mode in (0, 1, 2):
        escrow.setVerifier(mode, v, sender=deployer)
    return v


@pytest.fixture(scope="module")
def stake_provider(opg, staking):
    def _stake(account, amount=10_000 * OPG, models=(1,)):
        opg.approve(staking, amount, sender=account)
        staking.stake(amount, sender=account)
        for model_id in models:
            staking.serveModel(model_id, sender=account)

    return _stake


@pytest.fixture(scope="module")
def staked(stake_provider, provider, provider2):
    stake_provider(provider)
    stake_provider(provider2)


@pytest.fixture(scope="module")
def funded(opg, escrow, requester, stranger, watcher):
    for acct in (requester, stranger, watcher):
        opg.approve(escrow, 2**256 - 1, sender=acct)


@pytest.fixture(scope="module")
def make_job(chain, escrow, verifier, staked, funded, requester):
    """Creates a job (approve path) and returns its id."""

    def _make(fee=PRICE, mode=OPTIMISTIC, duration=3_600, model_id=1, version=1, data=INPUT, sender=None):
        deadline = chain.pending_timestamp + duration
        escrow.createJob(model_id, version, mode, fee, deadline, data, sender=sender or requester)
        return escrow.lastJobId()

    return _make


@pytest.fixture(scope="module")
def claimed_job(make_job, escrow, provider):
    def _make(**kwargs):
        job_id = make_job(**kwargs)
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)
        return job_id

    return _make


@pytest.fixture(scope="module")
def submitted_job(claimed_job, escrow, provider):
    from escrow_helpers import OUTPUT
    from opg_testkit import TRACE_ROOT

    def _make(output=OUTPUT, proof=TRACE_ROOT, **kwargs):
        job_id = claimed_job(**kwargs)
        escrow.submitResult(job_id, job_of(escrow, job_id), output, proof, sender=provider)
        return job_id

    return _make


