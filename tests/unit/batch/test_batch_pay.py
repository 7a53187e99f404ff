"""payLeaves / closeBatch: multiproof payouts, exactly-once per leaf and per requester job, authorization
by signed JobRequests, fee bounds, windows, expiry; and the settlement credit."""

import dataclasses

from batch_helpers import (
    CHALLENGE_WINDOW,
    FEE,
    OPG,
    PAYOUT_WINDOW,
    ROYALTY_BPS,
    collateral_of,
    make_leaves,
)

from opg_client.batchtree import MerkleTree

TREASURY_FEE_BPS = 500  # SuiteParams default


def _after_window(chain):
    chain.pending_timestamp += CHALLENGE_WINDOW + 1


def test_pay__all_leaves__debits_requesters_credits_provider_and_closes(
    batch, post, opg, settlement, staking, provider, requester, stranger, watcher, chain
):
    posted = post()
    total = posted.tree.total_fee
    bal_r, bal_s = batch.accountOf(requester)[0], batch.accountOf(stranger)[0]
    locked = staking.stakeOf(provider).locked
    claimable = settlement.claimable(provider).fees
    _after_window(chain)
    tx = batch.payLeaves(*posted.pay_all_args(), sender=watcher)
    paid = tx.events.filter(batch.LeavesPaid)[0]
    assert (paid.batchId, paid.caller, paid.leafCount, paid.fee) == (posted.batch_id, watcher.address, 4, total)
    assert batch.accountOf(requester)[0] == bal_r - 2 * FEE
    assert batch.accountOf(stranger)[0] == bal_s - 2 * FEE
    charged = {(e.requester, e.amount) for e in tx.events.filter(batch.RequesterCharged)}
    assert charged == {(requester.address, 2 * FEE), (stranger.address, 2 * FEE)}
    credit = tx.events.filter(settlement.FeeCredited)[0]
    assert (credit["provider"], credit.fee) == (provider.address, total)
    provider_share = total - total * ROYALTY_BPS // 10_000 - total * TREASURY_FEE_BPS // 10_000
    assert settlement.claimable(provider).fees == claimable + provider_share
    assert tx.events.filter(batch.BatchClosed)[0].released == collateral_of(total)
    assert staking.stakeOf(provider).locked == locked - collateral_of(total)
    assert batch.getBatch(posted.batch_id).closed
    assert all(batch.isLeafSettled(posted.batch_id, i) for i in range(4))
    assert batch.isJobPaid(requester, 1) and batch.isJobPaid(stranger, 2)


def test_pay__provider_claims__fees_reach_provider(batch, post, opg, settlement, provider, chain):
    posted = post()
    _after_window(chain)
    batch.payLeaves(*posted.pay_all_args(), sender=provider)
    fees = settlement.claimable(provider).fees
    before = opg.balanceOf(provider)
    settlement.claim(sender=provider)
    assert opg.balanceOf(provider) >= before + fees


def test_pay__in_two_parts__second_part_closes(batch, post, provider, chain):
    posted = post()
    _after_window(chain)
    tx = batch.payLeaves(*posted.pay_args([0, 3]), sender=provider)
    assert not tx.events.filter(batch.BatchClosed)
    assert batch.getBatch(posted.batch_id).settledLeaves == 2
    tx = batch.payLeaves(*posted.pay_args([1, 2]), sender=provider)
    assert tx.events.filter(batch.BatchClosed)
    assert batch.getBatch(posted.batch_id).settledFee == posted.tree.total_fee


def test_pay__leaf_twice__reverts_leaf_already_settled(batch, post, provider, chain, reverts_with):
    posted = post()
    _after_window(chain)
    batch.payLeaves(*posted.pay_args([1]), sender=provider)
    with reverts_with(batch.LeafAlreadySettled, batchId=posted.batch_id, index=1):
        batch.payLeaves(*posted.pay_args([1, 2]), sender=provider)


def test_pay__same_leaf_twice_in_one_call__reverts_leaf_already_settled(batch, post, provider, chain, reverts_with):
    posted = post()
    _after_window(chain)
    bid, leaves, sigs, proof, flags = posted.pay_args([2])
    with reverts_with(batch.LeafAlreadySettled, batchId=bid, index=2):
        batch.payLeaves(bid, leaves * 2, sigs * 2, proof, flags, sender=provider)


def test_pay__same_job_in_second_batch__reverts_job_already_paid(
    batch, post, provider, provider2, requester, chain, reverts_with
):
    leaves = make_leaves([requester], 2)
    first = post(leaves)
    second = post(leaves, by=provider2)
    _after_window(chain)
    batch.payLeaves(*first.pay_all_args(), sender=provider)
    with reverts_with(batch.JobAlreadyPaid, requester=requester.address, jobId=1):
        batch.payLeaves(*second.pay_args([0]), sender=provider2)


def test_pay__duplicate_job_within_batch__reverts_job_already_paid(batch, post, provider, requester, chain,
                                                                  reverts_with):
    leaves = make_leaves([requester], 2)
    leaves[1] = dataclasses.replace(leaves[1], job_id=leaves[0].job_id)
    posted = post(leaves)
    _after_window(chain)
    with reverts_with(batch.JobAlreadyPaid, requester=requester.address, jobId=leaves[0].job_id):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__leaf_not_in_root__reverts_invalid_merkle_proof(batch, post, provider, requester, stranger, chain,
                                                             reverts_with):
    posted = post()
    _after_window(chain)
    bid, leaves, sigs, proof, flags = posted.pay_args([0])
    forged = list(leaves[0])
    forged[5] = b"\x66" * 32  # another output hash: same request, still validly signed
    with reverts_with(batch.InvalidMerkleProof, batchId=bid):
        batch.payLeaves(bid, [tuple(forged)], sigs, proof, flags, sender=provider)


def test_pay__fee_above_signed_fee__reverts_unauthorized_leaf(batch, post, provider, requester, chain, reverts_with):
    """Adversarial: the provider puts a higher fee in the leaf than the requester signed."""
    leaves = make_leaves([requester], 2)
    posted = post(leaves)
    inflated = [dataclasses.replace(leaf, fee=leaf.fee * 10) for leaf in leaves]
    tree = MerkleTree(inflated)
    forged = batch.postBatch(tree.root, 2, tree.total_fee, 1, 1, sender=provider).events.filter(batch.BatchPosted)[0]
    _after_window(chain)
    mp = tree.multiproof([0, 1])
    with reverts_with(batch.UnauthorizedLeaf, batchId=forged.batchId, index=0, requester=requester.address):
        batch.payLeaves(
            forged.batchId, [leaf.as_tuple() for leaf in mp.leaves],
            [posted.sigs[leaf.index].as_tuple() for leaf in mp.leaves], list(mp.proof), list(mp.flags),
            sender=provider,
        )


def test_pay__request_signed_for_another_provider__reverts_unauthorized_leaf(
    batch, post, provider, provider2, requester, chain, reverts_with
):
    """Adversarial: a provider charges a requester with requests it signed for someone else."""
    posted = post(make_leaves([requester], 2), by=provider, sign_for=provider2)
    _after_window(chain)
    with reverts_with(batch.UnauthorizedLeaf, batchId=posted.batch_id, requester=requester.address):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__never_requested__reverts_unauthorized_leaf(batch, post, provider, requester, watcher, chain,
                                                         reverts_with):
    """Adversarial: leaves naming a requester, signed by someone else (the provider cannot sign for it)."""
    leaves = make_leaves([requester], 2)
    posted = post(leaves)
    forged_sigs = post(make_leaves([watcher], 2)).sigs  # valid signatures, wrong signer
    posted.sigs.update(forged_sigs)
    _after_window(chain)
    with reverts_with(batch.UnauthorizedLeaf, batchId=posted.batch_id, requester=requester.address):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__request_expired_before_post__reverts_request_expired(batch, post, provider, requester, chain,
                                                                   reverts_with):
    deadline = chain.pending_timestamp - 1
    posted = post(make_leaves([requester], 1), deadline=deadline)
    posted_at = batch.getBatch(posted.batch_id).postedAt
    _after_window(chain)
    with reverts_with(batch.RequestExpired, requester=requester.address, jobId=1, deadline=deadline,
                      postedAt=posted_at):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__fee_below_price__reverts_leaf_fee_below_price(batch, post, provider, requester, chain, reverts_with):
    posted = post(make_leaves([requester], 1, fee=OPG // 2))
    _after_window(chain)
    with reverts_with(batch.LeafFeeBelowPrice, index=0, fee=OPG // 2, price=OPG):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__index_beyond_leaf_count__reverts_leaf_index_out_of_range(batch, post, provider, chain, reverts_with):
    posted = post(leaf_count=3)
    _after_window(chain)
    with reverts_with(batch.LeafIndexOutOfRange, batchId=posted.batch_id, index=3, leafCount=3):
        batch.payLeaves(*posted.pay_args([3]), sender=provider)


def test_pay__requester_balance_short__reverts_insufficient_balance(
    batch, post, provider, requester, chain, reverts_with
):
    posted = post(make_leaves([requester], 2))
    balance = batch.accountOf(requester)[0]
    batch.requestWithdrawal(balance - FEE, sender=requester)
    chain.pending_timestamp += batch.WITHDRAWAL_NOTICE()
    batch.withdraw(sender=requester)  # the requester announced it before the batch: its own risk
    posted2 = post(make_leaves([requester], 2, first_job_id=10))
    _after_window(chain)
    # the first batch's payout window has passed; the second one is payable but underfunded
    with reverts_with(batch.InsufficientBalance, requester=requester.address, balance=FEE, need=2 * FEE):
        batch.payLeaves(*posted2.pay_all_args(), sender=provider)
    assert posted.batch_id < posted2.batch_id


def test_pay__above_declared_total__reverts_batch_fee_exceeded(batch, post, provider, chain, reverts_with):
    posted = post(total_fee=3 * FEE)
    _after_window(chain)
    batch.payLeaves(*posted.pay_args([0, 1, 2]), sender=provider)
    with reverts_with(batch.BatchFeeExceeded, batchId=posted.batch_id, totalFee=3 * FEE, settledFee=4 * FEE):
        batch.payLeaves(*posted.pay_args([3]), sender=provider)


def test_pay__signatures_count_mismatch__reverts_length_mismatch(batch, post, provider, chain, reverts_with):
    posted = post()
    _after_window(chain)
    bid, leaves, sigs, proof, flags = posted.pay_all_args()
    with reverts_with(batch.LengthMismatch, leaves=4, signatures=3):
        batch.payLeaves(bid, leaves, sigs[:3], proof, flags, sender=provider)
    with reverts_with(batch.LengthMismatch, leaves=0, signatures=0):
        batch.payLeaves(bid, [], [], [], [], sender=provider)


def test_pay__during_challenge_window__reverts_window_open(batch, post, provider, reverts_with):
    posted = post()
    end = batch.getBatch(posted.batch_id).postedAt + CHALLENGE_WINDOW
    with reverts_with(batch.BatchChallengeWindowOpen, batchId=posted.batch_id, challengeEnd=end):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__after_payout_window__reverts_payout_window_closed(batch, post, provider, chain, reverts_with):
    posted = post()
    end = batch.getBatch(posted.batch_id).postedAt + CHALLENGE_WINDOW + PAYOUT_WINDOW
    chain.pending_timestamp = end + 1
    with reverts_with(batch.PayoutWindowClosed, batchId=posted.batch_id, payoutEnd=end):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)


def test_pay__unknown_batch__reverts_unknown_batch(batch, post, provider, chain, reverts_with):
    posted = post()
    _after_window(chain)
    _, *rest = posted.pay_all_args()
    with reverts_with(batch.UnknownBatch, batchId=999):
        batch.payLeaves(999, *rest, sender=provider)


def test_close__after_payout_window__releases_collateral_and_unpaid_leaves_stay_uncharged(
    batch, post, staking, provider, requester, stranger, chain, reverts_with
):
    posted = post()
    _after_window(chain)
    batch.payLeaves(*posted.pay_args([0]), sender=provider)
    locked = staking.stakeOf(provider).locked
    bal_s = batch.accountOf(stranger)[0]
    end = batch.getBatch(posted.batch_id).postedAt + CHALLENGE_WINDOW + PAYOUT_WINDOW
    with reverts_with(batch.PayoutWindowOpen, batchId=posted.batch_id, payoutEnd=end):
        batch.closeBatch(posted.batch_id, sender=stranger)
    chain.pending_timestamp = end + 1
    tx = batch.closeBatch(posted.batch_id, sender=stranger)
    ev = tx.events.filter(batch.BatchClosed)[0]
    collateral = collateral_of(posted.tree.total_fee)
    assert (ev.released, ev.unpaidLeaves) == (collateral, 3)
    assert staking.stakeOf(provider).locked == locked - collateral
    assert batch.accountOf(stranger)[0] == bal_s
    with reverts_with(batch.BatchIsClosed, batchId=posted.batch_id):
        batch.payLeaves(*posted.pay_args([2]), sender=provider)
    with reverts_with(batch.BatchIsClosed, batchId=posted.batch_id):
        batch.closeBatch(posted.batch_id, sender=stranger)


def test_pay__fees__count_toward_the_epoch_emission_shares(batch, post, settlement, provider, chain):
    posted = post()
    _after_window(chain)
    tx = batch.payLeaves(*posted.pay_all_args(), sender=provider)
    epoch = tx.events.filter(settlement.FeeCredited)[0].epoch
    assert settlement.epochTotalFees(epoch) == posted.tree.total_fee
    assert settlement.accountOf(provider).pendingFees == posted.tree.total_fee
    assert settlement.accountOf(provider).pendingEpoch == epoch


def test_pay__inconsistent_multiproof_lengths__reverts_invalid_multiproof(batch, post, provider, chain, reverts_with):
    posted = post()
    _after_window(chain)
    bid, leaves, sigs, proof, flags = posted.pay_args([0])
    with reverts_with(batch.MerkleProofInvalidMultiproof):
        batch.payLeaves(bid, leaves, sigs, proof, [*flags, True], sender=provider)
