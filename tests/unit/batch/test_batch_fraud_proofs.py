"""Batch disputes judged by the real OptimisticLayerVerifier (the escrow's Optimistic verifier as
deploy_suite wires it): a one-layer fraud proof against a cheated leaf of a digits batch is upheld and voids
only that leaf; the same proof against an honest leaf is rejected; the rest of the batch pays."""

import ape
import pytest
from eth_utils import keccak
from hexbytes import HexBytes
from sklearn.datasets import load_digits

from opg_client.batchtree import Leaf, MerkleTree, domain_separator, sign_request
from opg_client.fraud import encode_layer_evidence, layer_outputs
from opg_client.fraud.cheat import Cheat, corrupt
from opg_client.runtime import (
    encode_digit_pixels,
    encode_vector,
    layer_commitments,
    load_digits_meta,
    load_digits_model,
    trace,
)

OPG = 10**18
PRICE = OPG
MODEL = load_digits_model()
META = load_digits_meta()


def _result(i: int, cheat: bool):
    pixels = load_digits().data[META.test_indices[i]].astype(int)
    x = encode_digit_pixels([int(p) for p in pixels], MODEL.frac_bits, META.input_scale_bits)
    tr = trace(MODEL, x)
    reported = corrupt(MODEL, tr, Cheat(0, 3, 5)) if cheat else tr
    commitments = layer_outputs(reported)
    return {
        "input": encode_vector(x),
        "output": encode_vector(reported.output),
        "trace": commitments,
        "trace_root": keccak(b"".join(bytes(c) for c in commitments)),
        "layer0_input": encode_vector(reported.vectors[0]),
    }


@pytest.fixture(scope="module")
def fraud_world(suite, treasury, researcher, provider, requester, watcher):
    weights_hash = bytes.fromhex(META.model_hash[2:])
    suite.registry.registerModel(
        (weights_hash, list(layer_commitments(MODEL)), "opg://digits", PRICE, 500, 1, ape.utils.ZERO_ADDRESS),
        sender=researcher,
    )
    model_id = int(suite.registry.modelCount())
    for acct in (provider, requester, watcher):
        suite.token.transfer(acct, 20_000 * OPG, sender=treasury)
    suite.token.approve(suite.staking, 10_000 * OPG, sender=provider)
    suite.staking.stake(10_000 * OPG, sender=provider)
    suite.staking.serveModel(model_id, sender=provider)
    for acct in (requester, watcher):
        suite.token.approve(suite.batch, 2**256 - 1, sender=acct)
    suite.batch.deposit(100 * OPG, sender=requester)
    assert suite.escrow.verifier(0) == suite.addresses["OptimisticLayerVerifier"]
    return suite, model_id


def test_dispute__real_fraud_proof__cheated_leaf_upheld_honest_rejected_rest_paid(
    fraud_world, provider, requester, watcher, chain
):
    suite, model_id = fraud_world
    batch = suite.batch
    results = [_result(0, False), _result(1, True), _result(2, False)]
    leaves = [Leaf(i, i + 1, str(requester.address), PRICE, keccak(r["input"]), keccak(r["output"]), r["trace_root"])
              for i, r in enumerate(results)]
    tree = MerkleTree(leaves)
    deadline = chain.pending_timestamp + 3_600
    domain = domain_separator(chain.chain_id, str(batch.address))
    sigs = [sign_request(bytes(HexBytes(requester.private_key)), domain, str(provider.address), model_id, 1, leaf,
                         deadline) for leaf in leaves]
    batch_id = batch.postBatch(tree.root, 3, tree.total_fee, model_id, 1, sender=provider).events.filter(
        batch.BatchPosted)[0].batchId

    def dispute(index):
        r = results[index]
        evidence = encode_layer_evidence(MODEL, 0, r["trace"], r["layer0_input"])
        return batch.disputeLeaf(batch_id, leaves[index].as_tuple(), tree.proof(index), evidence, sender=watcher)

    upheld = dispute(1).events.filter(batch.LeafDisputeUpheld)
    assert len(upheld) == 1 and upheld[0].index == 1 and upheld[0].slashed > 0
    rejected = dispute(0).events.filter(batch.LeafDisputeRejected)
    assert len(rejected) == 1 and rejected[0].index == 0
    balance = batch.accountOf(requester)[0]
    chain.pending_timestamp += batch.CHALLENGE_WINDOW() + 1
    mp = tree.multiproof([0, 2])
    tx = batch.payLeaves(batch_id, [leaf.as_tuple() for leaf in mp.leaves],
                         [sigs[leaf.index].as_tuple() for leaf in mp.leaves], list(mp.proof), list(mp.flags),
                         sender=provider)
    assert tx.events.filter(batch.LeavesPaid)[0].fee == 2 * PRICE
    assert batch.accountOf(requester)[0] == balance - 2 * PRICE  # the cheated job is never charged
    assert batch.getBatch(batch_id).closed
