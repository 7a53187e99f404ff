"""Permit replay and misuse across the two pull paths (InferenceEscrow.createJob*/ProviderStaking.stake*):
a signature is good for exactly one owner, spender, value and nonce, whoever submits it and through
whichever path. The unit tests cover the same-path replay and a front-run permit; these cover the
cross-path and third-party cases. requesters[1] holds no allowance to either contract at the start."""

import ape
from inv_helpers import INPUT, MODEL_ID, OPG, OPTIMISTIC, VERSION, sign_permit
from opg_testkit import job_of

FEE = 25 * OPG


def _create_with_permit(w, sender, fee, deadline, sig, permit_deadline=None):
    v, r, s = sig
    return w.escrow.createJobWithPermit(
        MODEL_ID, VERSION, OPTIMISTIC, fee, deadline, INPUT, permit_deadline or deadline, v, r, s, sender=sender
    )


def test_permit__escrow_signature_replayed_in_stake_with_permit__rejected_and_still_usable(chain, inv_world):
    w = inv_world
    payer = w.requesters[1]
    deadline = chain.pending_timestamp + 3_600
    amount = w.min_stake
    sig = sign_permit(w.token, payer, w.escrow, amount, deadline)
    nonce = w.token.nonces(payer)
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        w.staking.stakeWithPermit(amount, deadline, *sig, sender=payer)  # spender mismatch: permit ignored
    assert w.token.nonces(payer) == nonce
    assert w.token.allowance(payer, w.staking) == 0
    _create_with_permit(w, payer, amount, deadline, sig)  # the signature still serves its own spender
    assert w.token.nonces(payer) == nonce + 1


def test_permit__staking_signature_replayed_in_create_with_permit__rejected(chain, inv_world):
    w = inv_world
    payer = w.requesters[1]
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(w.token, payer, w.staking, FEE, deadline)
    before = w.token.balanceOf(payer)
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        _create_with_permit(w, payer, FEE, deadline, sig)
    assert w.token.balanceOf(payer) == before
    assert w.token.allowance(payer, w.escrow) == 0


def test_permit__consumed_by_create_with_permit__cannot_fund_a_second_job_through_either_path(chain, inv_world):
    w = inv_world
    payer = w.requesters[1]
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(w.token, payer, w.escrow, FEE, deadline)
    _create_with_permit(w, payer, FEE, deadline, sig)
    assert w.token.allowance(payer, w.escrow) == 0  # the whole permit went into the job
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        w.escrow.createJob(MODEL_ID, VERSION, OPTIMISTIC, FEE, deadline, INPUT, sender=payer)
    with ape.reverts(w.token.ERC2612InvalidSigner):
        w.token.permit(payer, w.escrow, FEE, deadline, *sig, sender=w.keeper)  # nonce moved on


def test_permit__third_party_submits_requesters_signature__cannot_spend_requesters_funds(chain, inv_world):
    w = inv_world
    payer, thief = w.requesters[1], w.keeper
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(w.token, payer, w.escrow, FEE, deadline)
    payer_before, thief_before = w.token.balanceOf(payer), w.token.balanceOf(thief)
    nonce = w.token.nonces(payer)
    # Through createJobWithPermit the permit is checked against msg.sender: ignored, thief pays nothing.
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        _create_with_permit(w, thief, FEE, deadline, sig)
    assert w.token.nonces(payer) == nonce
    assert w.token.allowance(payer, w.escrow) == 0
    # Front-run straight into the token: the allowance is the payer's, but createJob pulls from msg.sender.
    w.token.permit(payer, w.escrow, FEE, deadline, *sig, sender=thief)
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        w.escrow.createJob(MODEL_ID, VERSION, OPTIMISTIC, FEE, deadline, INPUT, sender=thief)
    assert (w.token.balanceOf(payer), w.token.balanceOf(thief)) == (payer_before, thief_before)
    # The payer's own job still goes through with the front-run allowance.
    _create_with_permit(w, payer, FEE, deadline, sig)
    assert job_of(w.escrow, w.escrow.lastJobId()).requester == payer.address


def test_permit__signed_for_other_value_or_expired__ignored_without_allowance(chain, inv_world):
    w = inv_world
    payer = w.requesters[1]
    deadline = chain.pending_timestamp + 3_600
    nonce = w.token.nonces(payer)
    bigger = sign_permit(w.token, payer, w.escrow, 2 * FEE, deadline)
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        _create_with_permit(w, payer, FEE, deadline, bigger)  # the digest binds value = maxFee
    permit_deadline = chain.pending_timestamp + 10
    expiring = sign_permit(w.token, payer, w.escrow, FEE, permit_deadline)
    chain.pending_timestamp += 60
    with ape.reverts(w.token.ERC20InsufficientAllowance):
        _create_with_permit(w, payer, FEE, deadline, expiring, permit_deadline=permit_deadline)
    assert w.token.nonces(payer) == nonce
    assert w.escrow.jobCount() == 3


def test_permit__create_while_paused__reverts_before_permit_so_signature_survives(chain, inv_world):
    w = inv_world
    payer = w.requesters[1]
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(w.token, payer, w.escrow, FEE, deadline)
    nonce = w.token.nonces(payer)
    w.escrow.pause(sender=w.deployer)
    with ape.reverts(w.escrow.EnforcedPause):
        _create_with_permit(w, payer, FEE, deadline, sig)
    assert w.token.nonces(payer) == nonce
    w.escrow.unpause(sender=w.deployer)
    _create_with_permit(w, payer, FEE, deadline, sig)
