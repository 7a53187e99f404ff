"""disputeLeaf: one leaf judged by the escrow's optimistic verifier without touching the rest; upheld and
rejected outcomes, windows, proofs, re-entrancy through a malicious verifier."""

from batch_helpers import BOND, CHALLENGE_WINDOW, FEE, SLASH_REWARD_BPS, calldata, collateral_of, context_hash

EVIDENCE = b"fraud proof"


def _dispute(batch, posted, index, sender, evidence=EVIDENCE):
    leaf = posted.tree.leaves[index]
    return batch.disputeLeaf(posted.batch_id, leaf.as_tuple(), posted.tree.proof(index), evidence, sender=sender)


def test_dispute__upheld__voids_leaf_slashes_its_share_rest_payable(
    batch, post, verifier, opg, staking, provider, requester, stranger, watcher, deployer, chain, reverts_with
):
    posted = post()
    verifier.setVerdicts(True, True, sender=deployer)
    collateral = collateral_of(posted.tree.total_fee)
    share = collateral * FEE // posted.tree.total_fee
    stake = staking.stakeOf(provider).active
    before = opg.balanceOf(watcher)
    tx = _dispute(batch, posted, 1, watcher)
    ev = tx.events.filter(batch.LeafDisputeUpheld)[0]
    reward = share * SLASH_REWARD_BPS // 10_000
    assert (ev.batchId, ev.index, ev.challenger, ev.requester, ev.jobId, ev.slashed, ev.reward) == (
        posted.batch_id, 1, watcher.address, requester.address, 2, share, reward
    )
    assert opg.balanceOf(watcher) == before + reward  # bond back + reward
    assert staking.stakeOf(provider).active == stake - share
    assert verifier.lastContextHash() == context_hash(posted.tree.leaves[1], provider.address)
    assert verifier.lastChallenger() == watcher.address and verifier.lastData() == EVIDENCE
    b = batch.getBatch(posted.batch_id)
    assert (b.collateral, b.settledLeaves, b.settledFee) == (collateral - share, 1, FEE)
    # the rest is untouched and payable; the voided leaf never is, and its requester is never charged for it
    bal_r = batch.accountOf(requester)[0]
    chain.pending_timestamp += CHALLENGE_WINDOW + 1
    with reverts_with(batch.LeafAlreadySettled, batchId=posted.batch_id, index=1):
        batch.payLeaves(*posted.pay_all_args(), sender=provider)
    tx = batch.payLeaves(*posted.pay_args([0, 2, 3]), sender=provider)
    assert batch.accountOf(requester)[0] == bal_r - FEE
    assert not batch.isJobPaid(requester, 2)
    assert tx.events.filter(batch.BatchClosed)[0].released == collateral - share
    assert staking.stakeOf(provider).locked == 0


def test_dispute__rejected__bond_credited_to_provider(
    batch, post, verifier, opg, settlement, provider, watcher, deployer
):
    posted = post()
    verifier.setVerdicts(True, False, sender=deployer)
    claimable = settlement.claimable(provider).fees
    before = opg.balanceOf(watcher)
    tx = _dispute(batch, posted, 2, watcher)
    ev = tx.events.filter(batch.LeafDisputeRejected)[0]
    assert (ev.batchId, ev.index, ev.challenger, ev.bond) == (posted.batch_id, 2, watcher.address, BOND)
    assert opg.balanceOf(watcher) == before - BOND
    assert settlement.claimable(provider).fees == claimable + BOND
    assert not batch.isLeafSettled(posted.batch_id, 2)


def test_dispute__after_window__reverts_window_closed(batch, post, watcher, chain, reverts_with):
    posted = post()
    end = batch.getBatch(posted.batch_id).postedAt + CHALLENGE_WINDOW
    chain.pending_timestamp = end + 1
    with reverts_with(batch.BatchChallengeWindowClosed, batchId=posted.batch_id, challengeEnd=end):
        _dispute(batch, posted, 0, watcher)


def test_dispute__paid_leaf__reverts(batch, post, provider, watcher, chain, reverts_with):
    """A leaf is only payable after the window, and a fully paid batch is closed: a paid leaf is never
    disputable."""
    posted = post()
    chain.pending_timestamp += CHALLENGE_WINDOW + 1
    batch.payLeaves(*posted.pay_args([0]), sender=provider)
    end = batch.getBatch(posted.batch_id).postedAt + CHALLENGE_WINDOW
    with reverts_with(batch.BatchChallengeWindowClosed, batchId=posted.batch_id, challengeEnd=end):
        _dispute(batch, posted, 0, watcher)
    batch.payLeaves(*posted.pay_args([1, 2, 3]), sender=provider)
    with reverts_with(batch.BatchIsClosed, batchId=posted.batch_id):
        _dispute(batch, posted, 0, watcher)


def test_dispute__upheld_leaf_again__reverts_leaf_already_settled(
    batch, post, verifier, watcher, stranger, deployer, reverts_with
):
    posted = post()
    verifier.setVerdicts(True, True, sender=deployer)
    _dispute(batch, posted, 3, watcher)
    with reverts_with(batch.LeafAlreadySettled, batchId=posted.batch_id, index=3):
        _dispute(batch, posted, 3, stranger)


def test_dispute__every_leaf_upheld__closes_with_whole_collateral_slashed(
    batch, post, verifier, staking, provider, watcher, deployer
):
    posted = post()
    verifier.setVerdicts(True, True, sender=deployer)
    slashed = 0
    for i in range(4):
        tx = _dispute(batch, posted, i, watcher)
        slashed += tx.events.filter(batch.LeafDisputeUpheld)[0].slashed
    assert slashed == collateral_of(posted.tree.total_fee)
    assert tx.events.filter(batch.BatchClosed)[0].released == 0
    assert batch.getBatch(posted.batch_id).closed
    assert staking.stakeOf(provider).locked == 0


def test_dispute__leaf_not_in_root__reverts_invalid_merkle_proof(batch, post, watcher, reverts_with):
    posted = post()
    leaf = list(posted.tree.leaves[0].as_tuple())
    leaf[5] = b"\x77" * 32
    with reverts_with(batch.InvalidMerkleProof, batchId=posted.batch_id):
        batch.disputeLeaf(posted.batch_id, tuple(leaf), posted.tree.proof(0), EVIDENCE, sender=watcher)


def test_dispute__index_out_of_range__reverts(batch, post, watcher, reverts_with):
    posted = post(leaf_count=2)
    with reverts_with(batch.LeafIndexOutOfRange, batchId=posted.batch_id, index=3, leafCount=2):
        _dispute(batch, posted, 3, watcher)


def test_dispute__no_optimistic_verifier__reverts_verifier_not_set(world, batch, post, watcher, deployer,
                                                                  reverts_with):
    posted = post()
    world.escrow.setVerifier(0, "0x" + "00" * 20, sender=deployer)
    with reverts_with(batch.OptimisticVerifierNotSet):
        _dispute(batch, posted, 0, watcher)


def test_dispute__unknown_batch__reverts_unknown_batch(batch, post, watcher, reverts_with):
    posted = post()
    leaf = posted.tree.leaves[0]
    with reverts_with(batch.UnknownBatch, batchId=77):
        batch.disputeLeaf(77, leaf.as_tuple(), posted.tree.proof(0), EVIDENCE, sender=watcher)


def _reentrant(project, deployer, helper_deployer, world, payload, verdict):
    attacker = helper_deployer.deploy(project.ReentrantVerifier, world.batch)
    attacker.arm(payload, verdict, sender=deployer)
    world.escrow.setVerifier(0, attacker, sender=deployer)
    return attacker


def test_dispute__verifier_reenters_pay_close_or_dispute__reverts_reentrant_call(
    project, world, batch, post, watcher, deployer, helper_deployer, reverts_with
):
    """Adversarial: a malicious verifier calls back into the batch contract while judging."""
    posted = post()
    leaf = posted.tree.leaves[0]
    payloads = [
        calldata("closeBatch(uint256)", ["uint256"], [posted.batch_id]),
        calldata("withdraw()", [], []),
        calldata(
            "disputeLeaf(uint256,(uint256,uint256,address,uint256,bytes32,bytes32,bytes32),bytes32[],bytes)",
            ["uint256", "(uint256,uint256,address,uint256,bytes32,bytes32,bytes32)", "bytes32[]", "bytes"],
            [posted.batch_id, leaf.as_tuple(), posted.tree.proof(0), EVIDENCE],
        ),
        calldata(
            "payLeaves(uint256,(uint256,uint256,address,uint256,bytes32,bytes32,bytes32)[],(uint64,bytes32,bytes32)[],"
            "bytes32[],bool[])",
            ["uint256", "(uint256,uint256,address,uint256,bytes32,bytes32,bytes32)[]", "(uint64,bytes32,bytes32)[]",
             "bytes32[]", "bool[]"],
            list(posted.pay_all_args()),
        ),
    ]
    for payload in payloads:
        for verdict in (True, False):
            _reentrant(project, deployer, helper_deployer, world, payload, verdict)
            with reverts_with(batch.ReentrancyGuardReentrantCall):
                _dispute(batch, posted, 0, watcher)
