"""Fixtures for the adversarial security tests: the protocol as `deploy_suite` wires it (the shared `suite`
fixture, deployer still governing), a TestVerifier for every mode, one model, two staked providers serving
it, funded requester / watcher / stranger, and helpers that drive jobs and read the books."""


import pytest
from eth_utils import keccak
from opg_testkit import TRACE_ROOT, job_of
from security_helpers import INPUT, OPG, OPTIMISTIC, OUTPUT, PRICE, ROYALTY_BPS, STAKE, TEE, ZK


@pytest.fixture(scope="module")
def world(project, suite, deployer, treasury, researcher, provider, provider2, requester, watcher, stranger):
    verifier = deployer.deploy(project.TestVerifier)
    for mode in (OPTIMISTIC, TEE, ZK):
        suite.escrow.setVerifier(mode, verifier, sender=deployer)
    layers = [b"\x22" * 32, b"\x33" * 32]
    suite.registry.registerModel(
        (b"\x11" * 32, layers, "ipfs://sec", PRICE, ROYALTY_BPS, 7, verifier), sender=researcher
    )
    model_id = suite.registry.modelCount()
    for acct in (provider, provider2, requester, watcher, stranger):
        suite.token.transfer(acct, 50_000 * OPG, sender=treasury)
    for acct in (provider, provider2):
        suite.token.approve(suite.staking, STAKE, sender=acct)
        suite.staking.stake(STAKE, sender=acct)
        suite.staking.serveModel(model_id, sender=acct)
    for acct in (requester, watcher, stranger):
        suite.token.approve(suite.escrow, 2**256 - 1, sender=acct)
    return {"verifier": verifier, "model_id": model_id}


class Driver:
    """Drives jobs through the wired suite and reads the cross-contract books."""

    def __init__(self, suite, world, chain):
        self.suite = suite
        self.model_id = world["model_id"]
        self.verifier = world["verifier"]
        self.chain = chain

    def create(self, requester, fee=PRICE, mode=OPTIMISTIC, duration=3_600, input_=INPUT):
        deadline = self.chain.pending_timestamp + duration
        receipt = self.suite.escrow.createJob(self.model_id, 1, mode, fee, deadline, input_, sender=requester)
        return receipt.return_value

    def claimed(self, requester, provider, **kwargs):
        job_id = self.create(requester, **kwargs)
        self.suite.escrow.claimJob(job_id, job_of(self.suite.escrow, job_id), sender=provider)
        return job_id

    def submitted(self, requester, provider, **kwargs):
        job_id = self.claimed(requester, provider, **kwargs)
        self.suite.escrow.submitResult(job_id, job_of(self.suite.escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
        return job_id

    def finalized(self, requester, provider, **kwargs):
        job_id = self.submitted(requester, provider, **kwargs)
        self.chain.pending_timestamp += self.suite.escrow.challengeWindow() + 1
        self.suite.escrow.finalizeJob(job_id, job_of(self.suite.escrow, job_id), sender=requester)
        return job_id

    def next_epoch(self):
        s = self.suite.settlement
        length = s.EPOCH_LENGTH()
        start_next = s.GENESIS_TIME() + (s.currentEpoch() + 1) * length
        self.chain.pending_timestamp = max(self.chain.pending_timestamp, start_next + 1)
        self.chain.mine()

    @staticmethod
    def hashes(input_=INPUT, output=OUTPUT):
        return keccak(input_), keccak(output)

    def assert_books(self, accounts, open_fees):
        """Every token the protocol holds is owed to someone, exactly.

        - escrow balance == fees of open jobs + settled-unswept (settled fees and rejected bonds);
        - settlement balance + settled-unswept == every claimable fee balance + the treasury's share;
        - staking balance == totalStaked."""
        s = self.suite
        unswept = s.escrow.settledUnswept()
        assert s.token.balanceOf(s.escrow) == open_fees + unswept
        owed = sum(s.settlement.claimable(a)[0] for a in accounts) + s.settlement.treasuryAccrued()
        assert s.token.balanceOf(s.settlement) + unswept == owed
        assert s.token.balanceOf(s.staking) == s.staking.totalStaked()


@pytest.fixture
def drive(suite, world, chain):
    return Driver(suite, world, chain)
