"""Fee *volume* is not bounded by the OPG supply: the same tokens can be paid as fees, claimed and paid again
within one epoch. The settlement's per-epoch fee total (and a provider's pending fees) must not overflow when
that volume passes 2^96 wei, or every finalize of the epoch would revert (a whale could freeze settlement)."""

import ape
from opg_testkit import job_of
from security_helpers import OPG, TEE

CYCLES = 89
FEE = 9 * 10**26  # 89 x 9e26 = 8.01e28 > 2^96 - 1 (7.92e28)


def test_finalize__epoch_fee_volume_past_uint96__still_settles(suite, drive, deployer, requester, provider, provider2):
    escrow, settlement, token, staking = suite.escrow, suite.settlement, suite.token, suite.staking
    # Governance settings that make wash volume free (no treasury share, no collateral), a model the whale
    # owns without royalty, and the rest of the supply in the whale's hands.
    settlement.setTreasuryFeeBps(0, sender=deployer)
    escrow.setCollateralTerms(0, 0, sender=deployer)
    params = (b"\x55" * 32, [b"\x66" * 32], "ipfs://wash", 0, 0, 3, ape.utils.ZERO_ADDRESS)  # optimistic + TEE
    suite.registry.registerModel(params, sender=provider2)
    wash_model = suite.registry.modelCount()
    staking.serveModel(wash_model, sender=provider2)
    token.grantRole(token.MINTER_ROLE(), deployer, sender=deployer)
    token.mint(provider2, token.cap() - token.totalSupply(), sender=deployer)
    token.approve(escrow, 2**256 - 1, sender=provider2)
    drive.next_epoch()  # a whole epoch ahead
    honest = drive.submitted(requester, provider)  # an honest job in the same epoch
    epoch = settlement.currentEpoch()

    deadline = drive.chain.pending_timestamp + 3_600
    for _ in range(CYCLES):
        job_id = escrow.createJob(wash_model, 1, TEE, FEE, deadline, b"w", sender=provider2).return_value
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider2)
        escrow.submitResult(job_id, job_of(escrow, job_id), b"o", b"", sender=provider2)  # TEE: settles at once
        settlement.claim(sender=provider2)
    assert settlement.currentEpoch() == epoch
    assert settlement.epochTotalFees(epoch) > 2**96

    drive.chain.pending_timestamp += escrow.challengeWindow() + 1
    escrow.finalizeJob(honest, job_of(escrow, honest), sender=requester)
    assert settlement.epochTotalFees(epoch) == CYCLES * FEE + 10 * OPG
