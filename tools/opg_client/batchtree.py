"""Batch settlement off-chain data: leaves, the OpenZeppelin-compatible Merkle tree (single proofs and
multiproofs) and EIP-712 `JobRequest` signatures. Pure: no chain access.

Matches `contracts/BatchSettlement.sol`:
- leaf hash = keccak256(keccak256(abi.encode(index, jobId, requester, fee, inputHash, outputHash, traceRoot)));
- tree as `@openzeppelin/merkle-tree` builds it (array layout, sorted-pair keccak nodes), leaves in index
  order (not sorted: leaf i sits at position 2n-2-i), multiproofs in OpenZeppelin's order (descending
  tree position, i.e. ascending leaf index);
- JobRequest(address provider,uint32 modelId,uint16 version,bytes32 inputHash,uint256 fee,uint256 jobId,
  uint64 deadline) under the domain ("OPG BatchSettlement", "1", chainId, contract).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

JOB_REQUEST_TYPE = (
    "JobRequest(address provider,uint32 modelId,uint16 version,bytes32 inputHash,uint256 fee,"
    "uint256 jobId,uint64 deadline)"
)
JOB_REQUEST_TYPEHASH = keccak(text=JOB_REQUEST_TYPE)
DOMAIN_TYPEHASH = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
DOMAIN_NAME = "OPG BatchSettlement"
DOMAIN_VERSION = "1"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class Leaf:
    """One job of a batch (amounts in wei)."""

    index: int
    job_id: int
    requester: str
    fee: int
    input_hash: bytes
    output_hash: bytes
    trace_root: bytes = b"\x00" * 32

    def as_tuple(self) -> tuple[int, int, str, int, bytes, bytes, bytes]:
        """The Solidity `Leaf` struct argument."""
        return (
            self.index, self.job_id, to_checksum_address(self.requester), self.fee,
            self.input_hash, self.output_hash, self.trace_root,
        )

    def hash(self) -> bytes:
        inner = keccak(
            encode(
                ["uint256", "uint256", "address", "uint256", "bytes32", "bytes32", "bytes32"],
                list(self.as_tuple()),
            )
        )
        return keccak(inner)


@dataclass(frozen=True)
class RequestSignature:
    """A requester's JobRequest signature in ERC-2098 compact form, with the request's deadline (unix s)."""

    deadline: int
    r: bytes
    vs: bytes

    def as_tuple(self) -> tuple[int, bytes, bytes]:
        return (self.deadline, self.r, self.vs)


@dataclass(frozen=True)
class MultiProof:
    """Leaves (in the order the contract wants them), proof hashes and flags of a multiproof."""

    leaves: tuple[Leaf, ...]
    proof: tuple[bytes, ...]
    flags: tuple[bool, ...]


def _node(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


class MerkleTree:
    """The batch tree over `leaves` (their `index` must be 0 .. n-1 in order)."""

    def __init__(self, leaves: Sequence[Leaf]) -> None:
        if not leaves:
            raise ValueError("a batch needs at least one leaf")
        for i, leaf in enumerate(leaves):
            if leaf.index != i:
                raise ValueError(f"leaf {i} has index {leaf.index}: leaves must be in index order")
        self.leaves = tuple(leaves)
        n = len(leaves)
        tree: list[bytes] = [b""] * (2 * n - 1)
        for i, leaf in enumerate(leaves):
            tree[len(tree) - 1 - i] = leaf.hash()
        for i in range(len(tree) - 1 - n, -1, -1):
            tree[i] = _node(tree[2 * i + 1], tree[2 * i + 2])
        self._tree = tree

    @property
    def root(self) -> bytes:
        return self._tree[0]

    @property
    def total_fee(self) -> int:
        return sum(leaf.fee for leaf in self.leaves)

    def _position(self, index: int) -> int:
        if not 0 <= index < len(self.leaves):
            raise IndexError(f"leaf index {index} out of range")
        return len(self._tree) - 1 - index

    def proof(self, index: int) -> list[bytes]:
        """Sibling path of leaf `index`, bottom up (for `disputeLeaf`)."""
        pos = self._position(index)
        out: list[bytes] = []
        while pos > 0:
            out.append(self._tree[pos - 1 if pos % 2 == 0 else pos + 1])
            pos = (pos - 1) // 2
        return out

    def multiproof(self, indices: Sequence[int]) -> MultiProof:
        """OpenZeppelin's getMultiProof for the leaves at `indices` (for `payLeaves`)."""
        positions = sorted((self._position(i) for i in indices), reverse=True)
        if len(set(positions)) != len(positions):
            raise ValueError("duplicate leaf index")
        stack = list(positions)
        proof: list[bytes] = []
        flags: list[bool] = []
        head = 0
        while head < len(stack) and stack[head] > 0:
            j = stack[head]
            head += 1
            sibling = j - 1 if j % 2 == 0 else j + 1
            if head < len(stack) and stack[head] == sibling:
                flags.append(True)
                head += 1
            else:
                flags.append(False)
                proof.append(self._tree[sibling])
            stack.append((j - 1) // 2)
        if not positions:
            proof.append(self.root)
        leaves = tuple(self.leaves[len(self._tree) - 1 - p] for p in positions)
        return MultiProof(leaves, tuple(proof), tuple(flags))


def root_from_proof(leaf: Leaf, proof: Sequence[bytes]) -> bytes:
    """The root a single proof of `leaf` leads to (OpenZeppelin processProof)."""
    h = leaf.hash()
    for sibling in proof:
        h = _node(h, bytes(sibling))
    return h


def domain_separator(chain_id: int, contract: str) -> bytes:
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [DOMAIN_TYPEHASH, keccak(text=DOMAIN_NAME), keccak(text=DOMAIN_VERSION), chain_id,
             to_checksum_address(contract)],
        )
    )


def request_digest(
    domain: bytes, provider: str, model_id: int, version: int, input_hash: bytes, fee: int, job_id: int,
    deadline: int,
) -> bytes:
    """EIP-712 digest of a JobRequest under `domain` (a `domain_separator`)."""
    struct = keccak(
        encode(
            ["bytes32", "address", "uint32", "uint16", "bytes32", "uint256", "uint256", "uint64"],
            [JOB_REQUEST_TYPEHASH, to_checksum_address(provider), model_id, version, input_hash, fee, job_id,
             deadline],
        )
    )
    return keccak(b"\x19\x01" + domain + struct)


def sign_digest(private_key: bytes, digest: bytes) -> tuple[bytes, bytes]:
    """ERC-2098 compact signature (r, vs) of `digest` (low-s, as every secp256k1 signer produces)."""
    from eth_keys import keys

    sig = keys.PrivateKey(private_key).sign_msg_hash(digest)
    r, s, v = sig.r, sig.s, sig.v  # v in {0, 1}
    if s > SECP256K1_N // 2:  # normalise (eth_keys already signs low-s)
        s, v = SECP256K1_N - s, v ^ 1
    vs = (v << 255) | s
    return r.to_bytes(32, "big"), vs.to_bytes(32, "big")


def sign_request(
    private_key: bytes, domain: bytes, provider: str, model_id: int, version: int, leaf: Leaf, deadline: int
) -> RequestSignature:
    """The requester's signature of the JobRequest behind `leaf` (fee, job id, input hash as in the leaf)."""
    digest = request_digest(domain, provider, model_id, version, leaf.input_hash, leaf.fee, leaf.job_id, deadline)
    r, vs = sign_digest(private_key, digest)
    return RequestSignature(deadline, r, vs)
