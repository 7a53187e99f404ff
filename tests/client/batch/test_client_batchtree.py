"""The off-chain batch tree matches OpenZeppelin's MerkleProof: every single proof and every multiproof of
random leaf subsets reproduces the root (a port of processProof / processMultiProof)."""

from __future__ import annotations

import random

import pytest
from eth_utils import keccak

from opg_client.batchtree import Leaf, MerkleTree, sign_digest


def _node(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


def _process_multiproof(proof: list[bytes], flags: list[bool], leaves: list[bytes]) -> bytes:
    """OpenZeppelin MerkleProof.processMultiProof, step for step."""
    total = len(flags)
    assert len(leaves) + len(proof) == total + 1
    hashes: list[bytes] = []
    leaf_pos = hash_pos = proof_pos = 0
    for i in range(total):
        a = leaves[leaf_pos] if leaf_pos < len(leaves) else hashes[hash_pos]
        if leaf_pos < len(leaves):
            leaf_pos += 1
        else:
            hash_pos += 1
        if flags[i]:
            b = leaves[leaf_pos] if leaf_pos < len(leaves) else hashes[hash_pos]
            if leaf_pos < len(leaves):
                leaf_pos += 1
            else:
                hash_pos += 1
        else:
            b = proof[proof_pos]
            proof_pos += 1
        hashes.append(_node(a, b))
    if total > 0:
        return hashes[total - 1]
    return leaves[0] if leaves else proof[0]


def _leaves(n: int) -> list[Leaf]:
    return [Leaf(i, i + 1, "0x" + "11" * 20, 10**18, keccak(text=f"i{i}"), keccak(text=f"o{i}")) for i in range(n)]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 64, 100])
def test_multiproof__random_subsets__reproduce_root(n: int) -> None:
    tree = MerkleTree(_leaves(n))
    rng = random.Random(n)
    for _ in range(12):
        indices = rng.sample(range(n), rng.randint(1, n))
        mp = tree.multiproof(indices)
        assert sorted(leaf.index for leaf in mp.leaves) == [leaf.index for leaf in mp.leaves] == sorted(indices)
        assert _process_multiproof(list(mp.proof), list(mp.flags), [leaf.hash() for leaf in mp.leaves]) == tree.root


@pytest.mark.parametrize("n", [1, 2, 7, 16])
def test_proof__every_leaf__reproduces_root(n: int) -> None:
    tree = MerkleTree(_leaves(n))
    for i in range(n):
        h = tree.leaves[i].hash()
        for sibling in tree.proof(i):
            h = _node(h, sibling)
        assert h == tree.root


def test_tree__leaves_out_of_index_order__raises() -> None:
    leaves = _leaves(3)
    with pytest.raises(ValueError, match="index order"):
        MerkleTree([leaves[1], leaves[0], leaves[2]])


def test_sign_digest__compact_signature__recovers_signer() -> None:
    from eth_keys import keys

    key = keys.PrivateKey(b"\x01" * 32)
    digest = keccak(text="job")
    r, vs = sign_digest(key.to_bytes(), digest)
    v = int.from_bytes(vs, "big") >> 255
    s = int.from_bytes(vs, "big") & ((1 << 255) - 1)
    sig = keys.Signature(vrs=(v, int.from_bytes(r, "big"), s))
    assert sig.recover_public_key_from_msg_hash(digest) == key.public_key
