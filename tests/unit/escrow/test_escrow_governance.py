"""Constructor wiring, roles and governance setters of the escrow."""

import ape
from escrow_helpers import BOND, MIN_COLLATERAL, RATIO_BPS, WINDOW
from opg_testkit import TRACE_ROOT, job_of


def test_deploy__wiring__immutables_and_terms(escrow, opg, registry, staking, settlement, deployer):
    assert (escrow.OPG(), escrow.REGISTRY(), escrow.STAKING(), escrow.SETTLEMENT()) == (
        opg.address,
        registry.address,
        staking.address,
        settlement.address,
    )
    assert escrow.collateralTerms() == (RATIO_BPS, MIN_COLLATERAL)
    assert (escrow.challengeWindow(), escrow.challengeBond()) == (WINDOW, BOND)
    assert escrow.hasRole(escrow.DEFAULT_ADMIN_ROLE(), deployer)
    assert escrow.hasRole(escrow.PAUSER_ROLE(), deployer)


def test_deploy__settlement_names_other_escrow__reverts(
    project, deployer, stranger, opg, registry, staking, settlement, escrow, deploy_reverts_with
):
    # Deployed by another account, so the new escrow can never land at the address the settlement names
    # (a deployer-nonce rewind by a snapshot restore could otherwise reproduce the original address).
    with deploy_reverts_with(escrow.InvalidWiring):
        stranger.deploy(
            project.InferenceEscrow, opg, registry, staking, settlement, deployer, RATIO_BPS, 0, WINDOW, BOND
        )


def test_setters__stranger__revert(escrow, stranger):
    role = escrow.DEFAULT_ADMIN_ROLE()
    for call in (
        lambda: escrow.setCollateralTerms(1, 1, sender=stranger),
        lambda: escrow.setChallengeWindow(WINDOW, sender=stranger),
        lambda: escrow.setChallengeBond(1, sender=stranger),
        lambda: escrow.setVerifier(0, stranger, sender=stranger),
    ):
        with ape.reverts(escrow.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=role):
            call()
    with ape.reverts(escrow.AccessControlUnauthorizedAccount):
        escrow.pause(sender=stranger)


def test_set_collateral_terms__above_cap__reverts(escrow, deployer, reverts_with):
    too_high = escrow.MAX_COLLATERAL_RATIO_BPS() + 1
    with reverts_with(escrow.InvalidCollateralTerms, ratioBps=too_high, minCollateral=0):
        escrow.setCollateralTerms(too_high, 0, sender=deployer)


def test_set_challenge_window__out_of_bounds__reverts(escrow, deployer, reverts_with):
    for window in (escrow.MIN_CHALLENGE_WINDOW() - 1, escrow.MAX_CHALLENGE_WINDOW() + 1):
        with reverts_with(escrow.InvalidChallengeWindow, window=window):
            escrow.setChallengeWindow(window, sender=deployer)


def test_set_challenge_bond__above_uint96__reverts(escrow, deployer, reverts_with):
    with reverts_with(escrow.InvalidChallengeBond, bond=2**96):
        escrow.setChallengeBond(2**96, sender=deployer)


def test_setters__admin__update_and_emit(escrow, deployer, stranger):
    tx = escrow.setChallengeWindow(2 * WINDOW, sender=deployer)
    assert tx.events.filter(escrow.ChallengeWindowUpdated)[0].window == 2 * WINDOW
    escrow.setChallengeBond(7, sender=deployer)
    escrow.setVerifier(1, stranger, sender=deployer)
    assert (escrow.challengeWindow(), escrow.challengeBond(), escrow.verifier(1)) == (
        2 * WINDOW,
        7,
        stranger.address,
    )


def test_set_collateral_terms__repeated__past_jobs_keep_their_terms(escrow, make_job, deployer):
    fee = 10**21
    first = make_job(fee=fee)
    escrow.setCollateralTerms(1_000, 0, sender=deployer)
    second = make_job(fee=fee)
    escrow.setCollateralTerms(2_000, 0, sender=deployer)
    escrow.setCollateralTerms(3_000, 0, sender=deployer)  # no job created under 2_000
    third = make_job(fee=fee)
    assert job_of(escrow, first).collateral == fee * RATIO_BPS // 10_000
    assert job_of(escrow, second).collateral == fee * 1_000 // 10_000
    assert job_of(escrow, third).collateral == fee * 3_000 // 10_000
    assert escrow.collateralTerms() == (3_000, 0)


def test_claim_cancel_challenge__paused__still_work(
    escrow, verifier, make_job, submitted_job, deployer, provider, requester, watcher
):
    from escrow_helpers import CLOSED, INPUT, OUTPUT
    from eth_utils import keccak

    to_claim, to_cancel, to_challenge = make_job(), make_job(), submitted_job()
    escrow.pause(sender=deployer)
    escrow.claimJob(to_claim, job_of(escrow, to_claim), sender=provider)
    escrow.cancelJob(to_cancel, job_of(escrow, to_cancel), sender=requester)
    escrow.challengeResult(to_challenge, job_of(escrow, to_challenge),
        keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"", sender=watcher)
    assert escrow.jobStatus(to_claim) == 2
    assert escrow.jobStatus(to_cancel) == CLOSED


def test_set_challenge_window__job_created_before__keeps_its_window(
    chain, escrow, make_job, claimed_job, deployer, provider, stranger, reverts_with
):
    from escrow_helpers import OUTPUT

    before = claimed_job()
    escrow.setChallengeWindow(4 * WINDOW, sender=deployer)
    after = claimed_job()
    assert (job_of(escrow, before).challengeWindow, job_of(escrow, after).challengeWindow) == (WINDOW, 4 * WINDOW)
    for job_id in (before, after):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
    submitted_at = chain.blocks.head.timestamp
    assert job_of(escrow, before).deadline == submitted_at + WINDOW
    assert job_of(escrow, after).deadline == submitted_at + 4 * WINDOW
    chain.pending_timestamp = submitted_at + WINDOW + 1
    escrow.finalizeJob(before, job_of(escrow, before), sender=stranger)  # the window it was created with
    with reverts_with(escrow.ChallengeWindowOpen, jobId=after, challengeEnd=submitted_at + 4 * WINDOW):
        escrow.finalizeJob(after, job_of(escrow, after), sender=stranger)
