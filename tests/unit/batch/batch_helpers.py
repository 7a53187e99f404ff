"""Constants and pure helpers of the batch-settlement tests (importable: this directory is on sys.path)."""

from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_utils import keccak
from hexbytes import HexBytes

from opg_client.batchtree import Leaf, MerkleTree, RequestSignature, domain_separator, sign_request

OPG = 10**18
PRICE = 1 * OPG
FEE = 2 * OPG
ROYALTY_BPS = 500
MODEL = 1  # optimistic + TEE
TEE_ONLY_MODEL = 2
VERSION = 1
# Suite parameters (tests/conftest.py suite_params + SuiteParams defaults for the batch windows)
RATIO_BPS = 15_000
MIN_COLLATERAL = 10 * OPG
BOND = 10 * OPG
CHALLENGE_WINDOW = 3_600
PAYOUT_WINDOW = 7 * 86_400
NOTICE = 8 * 86_400
SLASH_REWARD_BPS = 2_500  # ProviderStaking default


def collateral_of(total_fee: int) -> int:
    return max(total_fee * RATIO_BPS // 10_000, MIN_COLLATERAL)


def make_leaves(requesters: list[Any], per_requester: int, fee: int = FEE, first_job_id: int = 1) -> list[Leaf]:
    """`per_requester` leaves per requester, grouped by requester (job ids first_job_id, +1, ...)."""
    leaves: list[Leaf] = []
    for r in requesters:
        for k in range(per_requester):
            job_id = first_job_id + k
            leaves.append(
                Leaf(
                    index=len(leaves),
                    job_id=job_id,
                    requester=str(r.address),
                    fee=fee,
                    input_hash=keccak(f"input {r.address} {job_id}".encode()),
                    output_hash=keccak(f"output {r.address} {job_id}".encode()),
                    trace_root=keccak(f"trace {job_id}".encode()),
                )
            )
    return leaves


@dataclass
class Posted:
    """A posted batch and what paying / disputing it needs."""

    batch_id: int
    tree: MerkleTree
    sigs: dict[int, RequestSignature]  # by leaf index

    def pay_args(self, indices: list[int]) -> tuple:
        mp = self.tree.multiproof(indices)
        return (
            self.batch_id,
            [leaf.as_tuple() for leaf in mp.leaves],
            [self.sigs[leaf.index].as_tuple() for leaf in mp.leaves],
            list(mp.proof),
            list(mp.flags),
        )

    def pay_all_args(self) -> tuple:
        return self.pay_args(list(range(len(self.tree.leaves))))


def sign_leaves(batch: Any, provider: Any, accounts_by_address: dict[str, Any], leaves: list[Leaf], deadline: int,
                model: int = MODEL, version: int = VERSION) -> dict[int, RequestSignature]:
    domain = domain_separator(batch.provider.chain_id, str(batch.address))
    return {
        leaf.index: sign_request(
            bytes(HexBytes(accounts_by_address[leaf.requester].private_key)),
            domain, str(provider.address), model, version, leaf, deadline,
        )
        for leaf in leaves
    }


def context_hash(leaf: Leaf, provider: str, model: int = MODEL, version: int = VERSION) -> bytes:
    """keccak256(abi.encode(JobContext)) as TestVerifier records it."""
    return keccak(
        encode(
            ["(uint256,address,address,uint32,uint16,uint8,uint256,bytes32,bytes32,bytes32)"],
            [(leaf.job_id, leaf.requester, provider, model, version, 0, leaf.fee, leaf.input_hash, leaf.output_hash,
              leaf.trace_root)],
        )
    )


def calldata(signature: str, types: list[str], args: list[Any]) -> bytes:
    return keccak(text=signature)[:4] + encode(types, args)
