"""Named exceptions of BatchSettlement's custom errors (registered in `opg_client.errors` on import)."""

from __future__ import annotations

from opg_client.errors import ContractRevert, register


@register
class InvalidWindows(ContractRevert):
    """`error InvalidWindows(uint64 challengeWindow, uint64 payoutWindow, uint64 withdrawalNotice)`."""

    template = (
        "windows out of range: challenge {challengeWindow} s, payout {payoutWindow} s, "
        "withdrawal notice {withdrawalNotice} s (needs >= both windows)"
    )
    amount_args = frozenset()


@register
class AmountTooLarge(ContractRevert):
    """`error AmountTooLarge(uint256 amount)`."""

    template = "amount {amount} does not fit in uint96"
    amount_args = frozenset({"amount"})


@register
class InvalidBatch(ContractRevert):
    """`error InvalidBatch(bytes32 root, uint256 leafCount, uint256 totalFee)`."""

    template = "invalid batch: root {root}, {leafCount} leaves, total fee {totalFee}"
    amount_args = frozenset({"totalFee"})


@register
class BatchModelDeprecated(ContractRevert):
    """`error BatchModelDeprecated(uint32 modelId, uint16 version)`."""

    template = "model {modelId} version {version} is deprecated"
    amount_args = frozenset()


@register
class BatchModeNotSupported(ContractRevert):
    """`error BatchModeNotSupported(uint32 modelId, uint16 version)`."""

    template = "model {modelId} version {version} does not support optimistic verification"
    amount_args = frozenset()


@register
class UnknownBatch(ContractRevert):
    """`error UnknownBatch(uint256 batchId)`."""

    template = "batch {batchId} does not exist"
    amount_args = frozenset()


@register
class BatchIsClosed(ContractRevert):
    """`error BatchIsClosed(uint256 batchId)`."""

    template = "batch {batchId} is closed"
    amount_args = frozenset()


@register
class BatchChallengeWindowOpen(ContractRevert):
    """`error BatchChallengeWindowOpen(uint256 batchId, uint64 challengeEnd)`."""

    template = "the challenge window of batch {batchId} is open until {challengeEnd}"
    amount_args = frozenset()
    time_args = frozenset({"challengeEnd"})


@register
class BatchChallengeWindowClosed(ContractRevert):
    """`error BatchChallengeWindowClosed(uint256 batchId, uint64 challengeEnd)`."""

    template = "the challenge window of batch {batchId} closed at {challengeEnd}"
    amount_args = frozenset()
    time_args = frozenset({"challengeEnd"})


@register
class PayoutWindowClosed(ContractRevert):
    """`error PayoutWindowClosed(uint256 batchId, uint64 payoutEnd)`."""

    template = "the payout window of batch {batchId} closed at {payoutEnd}"
    amount_args = frozenset()
    time_args = frozenset({"payoutEnd"})


@register
class PayoutWindowOpen(ContractRevert):
    """`error PayoutWindowOpen(uint256 batchId, uint64 payoutEnd)`."""

    template = "the payout window of batch {batchId} is open until {payoutEnd}"
    amount_args = frozenset()
    time_args = frozenset({"payoutEnd"})


@register
class LeafIndexOutOfRange(ContractRevert):
    """`error LeafIndexOutOfRange(uint256 batchId, uint256 index, uint256 leafCount)`."""

    template = "leaf {index} is out of range: batch {batchId} has {leafCount} leaves"
    amount_args = frozenset()


@register
class LeafAlreadySettled(ContractRevert):
    """`error LeafAlreadySettled(uint256 batchId, uint256 index)`."""

    template = "leaf {index} of batch {batchId} was already paid or voided"
    amount_args = frozenset()


@register
class InvalidMerkleProof(ContractRevert):
    """`error InvalidMerkleProof(uint256 batchId)`."""

    template = "the leaves and proof are not in the root of batch {batchId}"
    amount_args = frozenset()


@register
class MerkleProofInvalidMultiproof(ContractRevert):
    """`error MerkleProofInvalidMultiproof()` (OpenZeppelin MerkleProof: inconsistent proof lengths)."""

    template = "the multiproof's lengths are inconsistent"


@register
class LengthMismatch(ContractRevert):
    """`error LengthMismatch(uint256 leaves, uint256 signatures)`."""

    template = "{leaves} leaves but {signatures} signatures (or no leaves)"
    amount_args = frozenset()


@register
class LeafFeeBelowPrice(ContractRevert):
    """`error LeafFeeBelowPrice(uint256 index, uint256 fee, uint256 price)`."""

    template = "leaf {index}: fee {fee} is below the model price of {price}"
    amount_args = frozenset({"fee", "price"})


@register
class UnauthorizedLeaf(ContractRevert):
    """`error UnauthorizedLeaf(uint256 batchId, uint256 index, address requester)`."""

    template = "leaf {index} of batch {batchId} is not a job request signed by {requester}"
    amount_args = frozenset()


@register
class RequestExpired(ContractRevert):
    """`error RequestExpired(address requester, uint256 jobId, uint64 deadline, uint64 postedAt)`."""

    template = "job request {jobId} of {requester} expired at {deadline}, before the batch was posted at {postedAt}"
    amount_args = frozenset()
    time_args = frozenset({"deadline", "postedAt"})


@register
class JobAlreadyPaid(ContractRevert):
    """`error JobAlreadyPaid(address requester, uint256 jobId)`."""

    template = "job {jobId} of {requester} was already paid"
    amount_args = frozenset()


@register
class InsufficientBalance(ContractRevert):
    """`error InsufficientBalance(address requester, uint256 balance, uint256 need)`."""

    template = "requester {requester} has {balance} prepaid, {need} due"
    amount_args = frozenset({"balance", "need"})


@register
class BatchFeeExceeded(ContractRevert):
    """`error BatchFeeExceeded(uint256 batchId, uint256 totalFee, uint256 settledFee)`."""

    template = "paying would settle {settledFee} of batch {batchId}, above its declared total {totalFee}"
    amount_args = frozenset({"totalFee", "settledFee"})


@register
class OptimisticVerifierNotSet(ContractRevert):
    """`error OptimisticVerifierNotSet()`."""

    template = "the escrow has no optimistic verifier: disputes are impossible"


@register
class WithdrawalLocked(ContractRevert):
    """`error WithdrawalLocked(address requester, uint64 unlockAt)`."""

    template = "the withdrawal of {requester} unlocks at {unlockAt}"
    amount_args = frozenset()
    time_args = frozenset({"unlockAt"})


@register
class NoWithdrawal(ContractRevert):
    """`error NoWithdrawal(address requester)`."""

    template = "{requester} has announced no withdrawal"
    amount_args = frozenset()
