"""Constants and pure helpers of the escrow tests (importable: this directory is on sys.path)."""

import rlp
from eth_utils import keccak, to_checksum_address

OPG = 10**18
GENESIS = 100_000_000 * OPG
MAX_ROYALTY_BPS = 2_000
MIN_STAKE = 1_000 * OPG
UNBONDING_DELAY = 86_400
PRICE = 10 * OPG
ROYALTY_BPS = 500
RATIO_BPS = 5_000  # collateral = 50% of the fee
MIN_COLLATERAL = 2 * OPG
WINDOW = 3_600  # challenge window, seconds
BOND = 5 * OPG
EPOCH = 86_400  # seconds
INITIAL_EMISSION = 1_000 * OPG
DECAY_BPS = 9_000
TREASURY_FEE_BPS = 1_000
SLASH_REWARD_BPS = 2_500  # ProviderStaking default

OPTIMISTIC, TEE, ZK = 0, 1, 2
NONE, OPEN, CLAIMED, SUBMITTED, CLOSED = 0, 1, 2, 3, 4

INPUT = bytes(range(64))  # realistic 64-byte input
OUTPUT = b"label=7;confidence=0.9731;rank=1;ok=1;v2"  # 40-byte output
assert len(OUTPUT) == 40


def create_address(sender: str, nonce: int) -> str:
    """Address of the contract `sender` deploys with `nonce` (CREATE)."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:])


def commit(input_hash: bytes, output_hash: bytes, trace_root: bytes) -> bytes:
    """An optimistic job's result commitment: keccak256(abi.encode(inputHash, outputHash, traceRoot))."""
    return keccak(input_hash + output_hash + trace_root)


def context_hash(job_id: int, requester: str, provider: str, model_id: int, version: int, mode: int, fee: int,
                 input_hash: bytes, output_hash: bytes, trace_root: bytes) -> bytes:
    """keccak256(abi.encode(IJobVerifier.JobContext)): what TestVerifier records of the context it was given."""
    from eth_abi import encode

    types = ["uint256", "address", "address", "uint32", "uint16", "uint8", "uint256", "bytes32", "bytes32", "bytes32"]
    values = [job_id, requester, provider, model_id, version, mode, fee, input_hash, output_hash, trace_root]
    return keccak(encode(types, values))


def collateral_of(fee: int, ratio_bps: int = RATIO_BPS, minimum: int = MIN_COLLATERAL) -> int:
    return max(fee * ratio_bps // 10_000, minimum)
