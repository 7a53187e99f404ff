"""postBatch: validation, model terms, collateral locked under the escrow's terms; constructor checks."""

import ape
from batch_helpers import MODEL, OPG, TEE_ONLY_MODEL, VERSION, collateral_of, make_leaves

ROOT = b"\x01" * 32


def test_post__valid__stores_batch_and_locks_collateral(batch, post, staking, provider, requester, chain):
    locked = staking.stakeOf(provider).locked
    posted = post()
    total = posted.tree.total_fee
    b = batch.getBatch(posted.batch_id)
    assert (b.provider, b.modelId, b.version, b.root, b.leafCount, b.totalFee) == (
        provider.address, MODEL, VERSION, posted.tree.root, 4, total
    )
    assert (b.settledFee, b.settledLeaves, b.closed, b.collateral) == (0, 0, False, collateral_of(total))
    assert staking.stakeOf(provider).locked == locked + collateral_of(total)
    assert batch.batchCount() == posted.batch_id


def test_post__event__carries_windows(batch, provider, chain):
    tx = batch.postBatch(ROOT, 3, 9 * OPG, MODEL, VERSION, sender=provider)
    ev = tx.events.filter(batch.BatchPosted)[0]
    assert (ev["provider"], ev.modelId, ev.leafCount, ev.totalFee) == (provider.address, MODEL, 3, 9 * OPG)
    assert ev.challengeEnd == tx.timestamp + batch.CHALLENGE_WINDOW()
    assert ev.payoutEnd == ev.challengeEnd + batch.PAYOUT_WINDOW()
    assert ev.collateral == collateral_of(9 * OPG)


def test_post__zero_root_or_count_or_fee__reverts_invalid_batch(batch, provider, reverts_with):
    for args in ((b"\x00" * 32, 1, OPG), (ROOT, 0, OPG), (ROOT, 1, 0), (ROOT, 2**32, OPG), (ROOT, 1, 2**96)):
        with reverts_with(batch.InvalidBatch, root=args[0], leafCount=args[1], totalFee=args[2]):
            batch.postBatch(*args, MODEL, VERSION, sender=provider)


def test_post__not_serving_model__reverts_not_serving_model(batch, staking, stranger, reverts_with):
    with reverts_with(staking.NotServingModel, provider=stranger.address, modelId=MODEL):
        batch.postBatch(ROOT, 1, OPG, MODEL, VERSION, sender=stranger)


def test_post__deprecated_version__reverts_batch_model_deprecated(world, batch, provider, researcher, reverts_with):
    world.registry.deprecateVersion(MODEL, VERSION, sender=researcher)
    with reverts_with(batch.BatchModelDeprecated, modelId=MODEL, version=VERSION):
        batch.postBatch(ROOT, 1, OPG, MODEL, VERSION, sender=provider)


def test_post__model_without_optimistic_mode__reverts_mode_not_supported(batch, provider, reverts_with):
    with reverts_with(batch.BatchModeNotSupported, modelId=TEE_ONLY_MODEL, version=VERSION):
        batch.postBatch(ROOT, 1, OPG, TEE_ONLY_MODEL, VERSION, sender=provider)


def test_post__collateral_above_free_stake__reverts_insufficient_free_stake(batch, staking, provider, reverts_with):
    with reverts_with(staking.InsufficientFreeStake):
        batch.postBatch(ROOT, 1, 10_000 * OPG, MODEL, VERSION, sender=provider)


def test_post__requests_of_a_batch__leaf_tree_matches_contract_hash(batch, requester):
    leaf = make_leaves([requester], 1)[0]
    assert batch.leafHash(leaf.as_tuple()) == leaf.hash()


def test_deploy__notice_shorter_than_windows__reverts_invalid_windows(
    project, helper_deployer, world, deploy_reverts_with
):
    with deploy_reverts_with(project.BatchSettlement, "InvalidWindows", 3600, 7200, 10799):
        helper_deployer.deploy(project.BatchSettlement, world.escrow, 3600, 7200, 10799)
    with deploy_reverts_with(project.BatchSettlement, "InvalidWindows", 0, 7200, 10_000):
        helper_deployer.deploy(project.BatchSettlement, world.escrow, 0, 7200, 10_000)


def test_deploy__zero_escrow__reverts_invalid_wiring(project, helper_deployer, deploy_reverts_with):
    with deploy_reverts_with(project.BatchSettlement, "InvalidWiring"):
        helper_deployer.deploy(project.BatchSettlement, ape.utils.ZERO_ADDRESS, 3600, 7200, 10_800)


def test_settlement_credit__caller_without_fee_source_role__reverts_not_escrow(settlement, stranger, reverts_with):
    with reverts_with(settlement.NotEscrow, caller=stranger.address):
        settlement.creditFee(stranger, stranger, 0, OPG, sender=stranger)
    with reverts_with(settlement.NotEscrow, caller=stranger.address):
        settlement.creditBalance(stranger, OPG, sender=stranger)
