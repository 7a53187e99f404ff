// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IBatchSettlement} from "./interfaces/IBatchSettlement.sol";
import {IInferenceEscrow} from "./interfaces/IInferenceEscrow.sol";
import {IJobVerifier} from "./interfaces/IJobVerifier.sol";
import {IModelRegistry, VerificationMode} from "./interfaces/IModelRegistry.sol";
import {IProviderStaking} from "./interfaces/IProviderStaking.sol";
import {IRewardSettlement} from "./interfaces/IRewardSettlement.sol";

/// @title BatchSettlement
/// @notice Prepaid requester balances and Merkle-batched optimistic settlement (see IBatchSettlement).
/// @dev Gas layout (the payout loop is the hot path; target <= 20k gas per job amortized at 256 leaves):
///      - a batch is five slots written once at post; payouts touch one of them (settled fee / leaves).
///      - settled leaves are a bitmap per batch (256 leaves per word), requester job ids a bitmap per
///        requester (256 consecutive ids per word); both are read and written once per run of leaves that
///        share a word, and a requester's balance once per run of its consecutive leaves.
///      - leaves are verified together with one OpenZeppelin multiproof; a payment credits RewardSettlement
///        once and moves the tokens there in one transfer.
///      - a requester account (balance, announced withdrawal, unlock time) is one slot.
contract BatchSettlement is IBatchSettlement, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Prepaid balance, announced withdrawal (both wei) and the time it unlocks (unix s): one slot.
    struct Account {
        uint96 balance;
        uint96 withdrawal;
        uint64 unlockAt;
    }

    /// @dev A batch's terms, read once per payment.
    struct Terms {
        address provider;
        uint32 modelId;
        uint16 version;
        uint64 postedAt;
        uint256 leafCount;
        uint256 price;
    }

    /// @dev Running state of a payment loop: the current requester's run and the current bitmap words.
    struct Cursor {
        address requester;
        uint256 debit;
        uint256 jobWord;
        uint256 jobBits;
        uint256 leafWord;
        uint256 leafBits;
    }

    /// @inheritdoc IBatchSettlement
    bytes32 public constant JOB_REQUEST_TYPEHASH = keccak256(
        "JobRequest(address provider,uint32 modelId,uint16 version,bytes32 inputHash,uint256 fee,uint256 jobId,uint64 deadline)"
    );
    /// @inheritdoc IBatchSettlement
    uint256 public constant MAX_LEAVES = type(uint32).max;

    uint256 private constant BPS = 10_000;
    uint256 private constant _NONE = type(uint256).max; // no bitmap word loaded yet

    /// @inheritdoc IBatchSettlement
    uint64 public immutable CHALLENGE_WINDOW;
    /// @inheritdoc IBatchSettlement
    uint64 public immutable PAYOUT_WINDOW;
    /// @inheritdoc IBatchSettlement
    uint64 public immutable WITHDRAWAL_NOTICE;
    /// @inheritdoc IBatchSettlement
    address public immutable OPG;
    /// @inheritdoc IBatchSettlement
    address public immutable REGISTRY;
    /// @inheritdoc IBatchSettlement
    address public immutable STAKING;
    /// @inheritdoc IBatchSettlement
    address public immutable SETTLEMENT;
    /// @inheritdoc IBatchSettlement
    address public immutable ESCROW;

    uint256 private _batchCount;
    mapping(uint256 batchId => Batch) private _batches;
    mapping(uint256 batchId => mapping(uint256 word => uint256 bits)) private _settledLeaves;
    mapping(address requester => mapping(uint256 word => uint256 bits)) private _paidJobs;
    mapping(address requester => Account) private _accounts;

    /// @param escrow The InferenceEscrow: its OPG, REGISTRY, STAKING and SETTLEMENT are used, and its
    ///        collateral terms, challenge bond and optimistic verifier apply to batches.
    /// @param challengeWindow Dispute window after a post, seconds (> 0).
    /// @param payoutWindow Payout window after the challenge window, seconds (> 0).
    /// @param withdrawalNotice Withdrawal notice, seconds (>= challengeWindow + payoutWindow).
    constructor(address escrow, uint64 challengeWindow, uint64 payoutWindow, uint64 withdrawalNotice)
        EIP712("OPG BatchSettlement", "1")
    {
        if (escrow == address(0)) revert InvalidWiring();
        if (challengeWindow == 0 || payoutWindow == 0 || withdrawalNotice < challengeWindow + payoutWindow) {
            revert InvalidWindows(challengeWindow, payoutWindow, withdrawalNotice);
        }
        IInferenceEscrow e = IInferenceEscrow(escrow);
        ESCROW = escrow;
        OPG = e.OPG();
        REGISTRY = e.REGISTRY();
        STAKING = e.STAKING();
        SETTLEMENT = e.SETTLEMENT();
        CHALLENGE_WINDOW = challengeWindow;
        PAYOUT_WINDOW = payoutWindow;
        WITHDRAWAL_NOTICE = withdrawalNotice;
    }

    // ---------------------------------------------------------------------------------------------
    // Requester
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IBatchSettlement
    function deposit(uint256 amount) external nonReentrant {
        _deposit(amount);
    }

    /// @inheritdoc IBatchSettlement
    function depositWithPermit(uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        // A front-run permit must not block the deposit: fall through to transferFrom (needs the allowance).
        try IERC20Permit(OPG).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {} catch {}
        _deposit(amount);
    }

    /// @inheritdoc IBatchSettlement
    function requestWithdrawal(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint96).max) revert AmountTooLarge(amount);
        Account storage acc = _accounts[msg.sender];
        uint64 unlockAt = uint64(block.timestamp) + WITHDRAWAL_NOTICE;
        acc.withdrawal = uint96(amount);
        acc.unlockAt = unlockAt;
        emit WithdrawalRequested(msg.sender, amount, unlockAt);
    }

    /// @inheritdoc IBatchSettlement
    function withdraw() external nonReentrant returns (uint256 amount) {
        Account memory acc = _accounts[msg.sender];
        if (acc.withdrawal == 0) revert NoWithdrawal(msg.sender);
        if (block.timestamp < acc.unlockAt) revert WithdrawalLocked(msg.sender, acc.unlockAt);
        amount = acc.withdrawal < acc.balance ? acc.withdrawal : acc.balance;
        _accounts[msg.sender] = Account({balance: acc.balance - uint96(amount), withdrawal: 0, unlockAt: 0});
        emit Withdrawn(msg.sender, amount);
        if (amount != 0) IERC20(OPG).safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Provider
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IBatchSettlement
    function postBatch(bytes32 root, uint256 leafCount, uint256 totalFee, uint32 modelId, uint16 version)
        external
        nonReentrant
        returns (uint256 batchId)
    {
        if (root == bytes32(0) || leafCount == 0 || leafCount > MAX_LEAVES || totalFee == 0) {
            revert InvalidBatch(root, leafCount, totalFee);
        }
        if (totalFee > type(uint96).max) revert InvalidBatch(root, leafCount, totalFee);
        uint256 collateral;
        (batchId, collateral) = _storeBatch(root, leafCount, totalFee, modelId, version);
        uint64 challengeEnd = uint64(block.timestamp) + CHALLENGE_WINDOW;
        emit BatchPosted(
            batchId,
            msg.sender,
            modelId,
            version,
            root,
            leafCount,
            totalFee,
            collateral,
            challengeEnd,
            challengeEnd + PAYOUT_WINDOW
        );
        // Reverts NotServingModel / StakeTooLow / InsufficientFreeStake for an ineligible provider.
        IProviderStaking(STAKING).lockCollateral(msg.sender, modelId, collateral);
    }

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IBatchSettlement
    function payLeaves(
        uint256 batchId,
        Leaf[] calldata leaves,
        RequestSignature[] calldata signatures,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) external nonReentrant returns (uint256 fee) {
        Batch storage batch = _batches[batchId];
        _requirePayable(batchId, batch);
        if (leaves.length == 0 || leaves.length != signatures.length) {
            revert LengthMismatch(leaves.length, signatures.length);
        }
        bytes32[] memory hashes;
        (fee, hashes) = _chargeLeaves(batchId, batch, leaves, signatures);
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, batch.root, hashes)) {
            revert InvalidMerkleProof(batchId);
        }
        _completePayment(batchId, batch, leaves.length, fee);
    }

    /// @inheritdoc IBatchSettlement
    function disputeLeaf(uint256 batchId, Leaf calldata leaf, bytes32[] calldata proof, bytes calldata evidence)
        external
        nonReentrant
    {
        Batch storage batch = _batches[batchId];
        _requireOpen(batchId, batch);
        uint64 challengeEnd = uint64(batch.postedAt) + CHALLENGE_WINDOW;
        if (block.timestamp > challengeEnd) revert BatchChallengeWindowClosed(batchId, challengeEnd);
        uint256 index = leaf.index;
        _requireUnsettledLeaf(batchId, batch, index);
        if (!MerkleProof.verifyCalldata(proof, batch.root, _leafHash(leaf))) revert InvalidMerkleProof(batchId);
        address verifier = IInferenceEscrow(ESCROW).verifier(VerificationMode.Optimistic);
        if (verifier == address(0)) revert OptimisticVerifierNotSet();
        uint256 bond = IInferenceEscrow(ESCROW).challengeBond();
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), bond);

        bool providerAtFault = IJobVerifier(verifier).judgeChallenge(_context(batch, leaf), msg.sender, evidence);

        if (providerAtFault) _upholdDispute(batchId, batch, leaf, bond);
        else _rejectDispute(batchId, batch.provider, index, bond);
    }

    /// @inheritdoc IBatchSettlement
    function closeBatch(uint256 batchId) external nonReentrant {
        Batch storage batch = _batches[batchId];
        _requireOpen(batchId, batch);
        uint64 payoutEnd = uint64(batch.postedAt) + CHALLENGE_WINDOW + PAYOUT_WINDOW;
        if (block.timestamp <= payoutEnd) revert PayoutWindowOpen(batchId, payoutEnd);
        _close(batchId, batch);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IBatchSettlement
    function getBatch(uint256 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IBatchSettlement
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @inheritdoc IBatchSettlement
    function isLeafSettled(uint256 batchId, uint256 index) external view returns (bool) {
        return _settledLeaves[batchId][index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @inheritdoc IBatchSettlement
    function isJobPaid(address requester, uint256 jobId) external view returns (bool) {
        return _paidJobs[requester][jobId >> 8] & (1 << (jobId & 0xff)) != 0;
    }

    /// @inheritdoc IBatchSettlement
    function accountOf(address requester)
        external
        view
        returns (uint256 balance, uint256 withdrawalAmount, uint64 unlockAt)
    {
        Account memory acc = _accounts[requester];
        return (acc.balance, acc.withdrawal, acc.unlockAt);
    }

    /// @inheritdoc IBatchSettlement
    function leafHash(Leaf calldata leaf) external pure returns (bytes32) {
        return _leafHash(leaf);
    }

    /// @inheritdoc IBatchSettlement
    function requestDigest(address provider, uint32 modelId, uint16 version, Leaf calldata leaf, uint64 deadline)
        external
        view
        returns (bytes32)
    {
        return _requestDigest(provider, modelId, version, leaf, deadline);
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    /// @dev Checks the version's terms (live, optimistic) and stores a new batch with the terms of record.
    function _storeBatch(bytes32 root, uint256 leafCount, uint256 totalFee, uint32 modelId, uint16 version)
        private
        returns (uint256 batchId, uint256 collateral)
    {
        (address owner, uint96 price, uint16 royaltyBps, uint8 modesMask, bool deprecated) =
            IModelRegistry(REGISTRY).jobTerms(modelId, version);
        if (deprecated) revert BatchModelDeprecated(modelId, version);
        if (modesMask & (1 << uint8(VerificationMode.Optimistic)) == 0) revert BatchModeNotSupported(modelId, version);
        collateral = _collateralFor(totalFee);
        batchId = ++_batchCount;
        _batches[batchId] = Batch({
            provider: msg.sender,
            modelId: modelId,
            version: version,
            postedAt: uint32(block.timestamp),
            closed: false,
            root: root,
            totalFee: uint96(totalFee),
            settledFee: 0,
            leafCount: uint32(leafCount),
            settledLeaves: 0,
            collateral: uint96(collateral),
            price: price,
            modelOwner: owner,
            royaltyBps: royaltyBps
        });
    }

    function _deposit(uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account storage acc = _accounts[msg.sender];
        uint256 balance = acc.balance + amount;
        if (balance > type(uint96).max) revert AmountTooLarge(balance);
        acc.balance = uint96(balance);
        emit Deposited(msg.sender, amount, balance);
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev The payment loop: per leaf checks index, settled bit, price, signature, deadline and job id;
    ///      writes bitmap words and requester debits once per run; returns the leaf hashes.
    function _chargeLeaves(
        uint256 batchId,
        Batch storage batch,
        Leaf[] calldata leaves,
        RequestSignature[] calldata signatures
    ) private returns (uint256 fee, bytes32[] memory hashes) {
        hashes = new bytes32[](leaves.length);
        Terms memory t = Terms(batch.provider, batch.modelId, batch.version, batch.postedAt, batch.leafCount, batch.price);
        Cursor memory c = Cursor(address(0), 0, _NONE, 0, _NONE, 0);
        for (uint256 i = 0; i < leaves.length; ++i) {
            Leaf calldata leaf = leaves[i];
            _checkLeaf(batchId, t, leaf, signatures[i]);
            _markLeaf(batchId, c, leaf.index);
            _markJob(batchId, c, leaf.requester, leaf.jobId);
            c.debit += leaf.fee;
            fee += leaf.fee;
            hashes[i] = _leafHash(leaf);
        }
        _flushRequester(batchId, c);
        _settledLeaves[batchId][c.leafWord] = c.leafBits;
    }

    /// @dev Sets leaf `index`'s settled bit in the cursor's bitmap word (loading / writing words on change).
    function _markLeaf(uint256 batchId, Cursor memory c, uint256 index) private {
        uint256 word = index >> 8;
        if (word != c.leafWord) {
            if (c.leafWord != _NONE) _settledLeaves[batchId][c.leafWord] = c.leafBits;
            c.leafWord = word;
            c.leafBits = _settledLeaves[batchId][word];
        }
        uint256 bit = 1 << (index & 0xff);
        if (c.leafBits & bit != 0) revert LeafAlreadySettled(batchId, index);
        c.leafBits |= bit;
    }

    /// @dev Sets `requester`'s job `jobId` bit, starting a new run (flushing the last) when the requester or
    ///      the bitmap word changes.
    function _markJob(uint256 batchId, Cursor memory c, address requester, uint256 jobId) private {
        uint256 word = jobId >> 8;
        if (requester != c.requester || word != c.jobWord) {
            _flushRequester(batchId, c);
            c.requester = requester;
            c.jobWord = word;
            c.jobBits = _paidJobs[requester][word];
        }
        uint256 bit = 1 << (jobId & 0xff);
        if (c.jobBits & bit != 0) revert JobAlreadyPaid(requester, jobId);
        c.jobBits |= bit;
    }

    /// @dev One leaf's stateless checks: index in range, fee >= price, request not expired at post, and
    ///      signed by its requester for this provider and model version.
    function _checkLeaf(uint256 batchId, Terms memory t, Leaf calldata leaf, RequestSignature calldata sig)
        private
        view
    {
        uint256 index = leaf.index;
        if (index >= t.leafCount) revert LeafIndexOutOfRange(batchId, index, t.leafCount);
        if (leaf.fee < t.price) revert LeafFeeBelowPrice(index, leaf.fee, t.price);
        uint64 deadline = sig.deadline;
        if (deadline < t.postedAt) revert RequestExpired(leaf.requester, leaf.jobId, deadline, t.postedAt);
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(_requestDigest(t.provider, t.modelId, t.version, leaf, deadline), sig.r, sig.vs);
        if (err != ECDSA.RecoverError.NoError || signer != leaf.requester) {
            revert UnauthorizedLeaf(batchId, index, leaf.requester);
        }
    }

    /// @dev Writes the current run's job-id bitmap word and debits its requester (if any).
    function _flushRequester(uint256 batchId, Cursor memory c) private {
        address requester = c.requester;
        if (requester == address(0)) return;
        _paidJobs[requester][c.jobWord] = c.jobBits;
        uint256 debit = c.debit;
        if (debit == 0) return;
        Account storage acc = _accounts[requester];
        uint256 balance = acc.balance;
        if (balance < debit) revert InsufficientBalance(requester, balance, debit);
        acc.balance = uint96(balance - debit);
        c.debit = 0;
        emit RequesterCharged(requester, batchId, debit);
    }

    /// @dev Counts `leafCount` more leaves and `fee` more wei as settled (closing the batch when complete),
    ///      moves the fee to RewardSettlement and credits it there in one call.
    function _completePayment(uint256 batchId, Batch storage batch, uint256 leafCount, uint256 fee) private {
        uint256 settledFee = batch.settledFee + fee;
        uint256 totalFee = batch.totalFee;
        if (settledFee > totalFee) revert BatchFeeExceeded(batchId, totalFee, settledFee);
        uint256 settledLeaves = batch.settledLeaves + leafCount;
        batch.settledFee = uint96(settledFee);
        batch.settledLeaves = uint32(settledLeaves);
        emit LeavesPaid(batchId, msg.sender, leafCount, fee);
        if (settledLeaves == batch.leafCount) _close(batchId, batch);
        IERC20(OPG).safeTransfer(SETTLEMENT, fee);
        IRewardSettlement(SETTLEMENT).creditFee(batch.provider, batch.modelOwner, batch.royaltyBps, fee);
    }

    /// @dev Upheld dispute: the leaf is void, its share of the remaining collateral slashed (the challenger
    ///      rewarded by staking's split), the bond returned.
    function _upholdDispute(uint256 batchId, Batch storage batch, Leaf calldata leaf, uint256 bond) private {
        uint256 index = leaf.index;
        _settledLeaves[batchId][index >> 8] |= 1 << (index & 0xff);
        uint256 collateral = batch.collateral;
        uint256 unsettledFee = uint256(batch.totalFee) - batch.settledFee;
        // Share of the remaining collateral in proportion to the leaf's fee among the unsettled fees; all
        // of it if the leaf claims more than what is left (its provider understated the total).
        uint256 slashed = leaf.fee >= unsettledFee ? collateral : (collateral * leaf.fee) / unsettledFee;
        uint256 voidFee = leaf.fee < unsettledFee ? leaf.fee : unsettledFee;
        batch.collateral = uint96(collateral - slashed);
        batch.settledFee += uint96(voidFee);
        uint256 settledLeaves = batch.settledLeaves + 1;
        batch.settledLeaves = uint32(settledLeaves);
        address provider = batch.provider;
        uint256 reward = slashed != 0 ? IProviderStaking(STAKING).slashCollateral(provider, slashed, msg.sender) : 0;
        emit LeafDisputeUpheld(batchId, index, msg.sender, leaf.requester, leaf.jobId, slashed, reward);
        if (settledLeaves == batch.leafCount) _close(batchId, batch);
        IERC20(OPG).safeTransfer(msg.sender, bond);
    }

    /// @dev Rejected dispute: the bond moves to RewardSettlement, credited to the provider.
    function _rejectDispute(uint256 batchId, address provider, uint256 index, uint256 bond) private {
        emit LeafDisputeRejected(batchId, index, msg.sender, bond);
        IERC20(OPG).safeTransfer(SETTLEMENT, bond);
        IRewardSettlement(SETTLEMENT).creditBalance(provider, bond);
    }

    /// @dev Closes the batch and releases its remaining collateral.
    function _close(uint256 batchId, Batch storage batch) private {
        uint256 released = batch.collateral;
        batch.closed = true;
        batch.collateral = 0;
        emit BatchClosed(batchId, released, batch.leafCount - batch.settledLeaves);
        if (released != 0) IProviderStaking(STAKING).releaseCollateral(batch.provider, released);
    }

    /// @dev The single guard of a batch: it exists and is not closed.
    function _requireOpen(uint256 batchId, Batch storage batch) private view {
        if (batch.provider == address(0)) revert UnknownBatch(batchId);
        if (batch.closed) revert BatchIsClosed(batchId);
    }

    /// @dev A batch is payable after its challenge window, until the end of its payout window.
    function _requirePayable(uint256 batchId, Batch storage batch) private view {
        _requireOpen(batchId, batch);
        uint64 challengeEnd = uint64(batch.postedAt) + CHALLENGE_WINDOW;
        if (block.timestamp <= challengeEnd) revert BatchChallengeWindowOpen(batchId, challengeEnd);
        if (block.timestamp > challengeEnd + PAYOUT_WINDOW) {
            revert PayoutWindowClosed(batchId, challengeEnd + PAYOUT_WINDOW);
        }
    }

    function _requireUnsettledLeaf(uint256 batchId, Batch storage batch, uint256 index) private view {
        if (index >= batch.leafCount) revert LeafIndexOutOfRange(batchId, index, batch.leafCount);
        if (_settledLeaves[batchId][index >> 8] & (1 << (index & 0xff)) != 0) {
            revert LeafAlreadySettled(batchId, index);
        }
    }

    /// @dev Collateral of a batch with fees up to `totalFee`, under the escrow's current collateral terms.
    function _collateralFor(uint256 totalFee) private view returns (uint256) {
        (uint16 ratioBps, uint256 minCollateral) = IInferenceEscrow(ESCROW).collateralTerms();
        uint256 collateral = (totalFee * ratioBps) / BPS;
        return collateral > minCollateral ? collateral : minCollateral;
    }

    function _context(Batch storage batch, Leaf calldata leaf) private view returns (IJobVerifier.JobContext memory) {
        return IJobVerifier.JobContext({
            jobId: leaf.jobId,
            requester: leaf.requester,
            provider: batch.provider,
            modelId: batch.modelId,
            version: batch.version,
            mode: VerificationMode.Optimistic,
            fee: leaf.fee,
            inputHash: leaf.inputHash,
            outputHash: leaf.outputHash,
            traceRoot: leaf.traceRoot
        });
    }

    function _leafHash(Leaf calldata leaf) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(leaf))));
    }

    function _requestDigest(address provider, uint32 modelId, uint16 version, Leaf calldata leaf, uint64 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    JOB_REQUEST_TYPEHASH, provider, modelId, version, leaf.inputHash, leaf.fee, leaf.jobId, deadline
                )
            )
        );
    }
}
