// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IBatchSettlement
/// @notice Batch Merkle settlement of optimistic inference jobs. Requesters prepay a balance here and sign
///         EIP-712 `JobRequest`s off-chain; a provider answers many of them and posts ONE Merkle root over
///         the leaves (index, jobId, requester, fee, inputHash, outputHash, traceRoot) of a model version,
///         locking collateral for the batch in ProviderStaking. During the challenge window any single leaf
///         can be disputed (with its Merkle proof) through the escrow's optimistic verifier; after it, the
///         leaves are payable with a multiproof, many per transaction: each leaf's request signature is
///         checked, the requester's balance debited, the job id consumed (exactly once per requester and
///         job id, across all batches), and the transaction's total fee credited in RewardSettlement in one
///         call. After the payout window the batch expires: unpaid leaves are never charged and the
///         remaining collateral is released.
/// @dev Units: amounts in OPG wei; times in unix seconds; ratios in basis points (10_000 = 100%).
///      Leaf hash: keccak256(bytes.concat(keccak256(abi.encode(index, jobId, requester, fee, inputHash,
///      outputHash, traceRoot)))), tree and multiproofs as OpenZeppelin MerkleProof (sorted pairs), leaves
///      in index order. Job ids are per requester (its own nonces, any order; a 256-bit bitmap word per
///      256 consecutive ids). Invariant: OPG.balanceOf(this) == sum of requester balances (challenge bonds
///      and paid fees never outlive their transaction). Collateral, bond and verifier follow the escrow's
///      governance (collateralTerms, challengeBond, verifier(Optimistic)).
interface IBatchSettlement {
    // ---------------------------------------------------------------------------------------------
    // Structs
    // ---------------------------------------------------------------------------------------------

    /// @notice One job of a batch, as hashed into its Merkle tree.
    /// @param index Position of the leaf in the batch, 0 .. leafCount - 1.
    /// @param jobId The requester's job id (nonce) from its signed JobRequest.
    /// @param requester Who signed the request and pays `fee` from its prepaid balance.
    /// @param fee Fee of the job, wei (as signed).
    /// @param inputHash keccak256 of the job input (as signed).
    /// @param outputHash keccak256 of the provider's output.
    /// @param traceRoot Commitment to the provider's execution trace (used by fraud proofs; 0 if none).
    struct Leaf {
        uint256 index;
        uint256 jobId;
        address requester;
        uint256 fee;
        bytes32 inputHash;
        bytes32 outputHash;
        bytes32 traceRoot;
    }

    /// @notice A requester's EIP-712 signature of the JobRequest behind a leaf, compact (ERC-2098) form.
    /// @param deadline The request's deadline (unix s): the batch must be posted no later.
    struct RequestSignature {
        uint64 deadline;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A posted batch as stored.
    /// @param provider Who posted it (its collateral is locked).
    /// @param modelId Registry model id of every leaf.
    /// @param version Model version of every leaf.
    /// @param postedAt Unix s of the post.
    /// @param closed True once every leaf is settled or the batch was closed after its payout window.
    /// @param root Merkle root of the leaves.
    /// @param totalFee Upper bound of the leaves' fees the provider declared, wei (sizes the collateral).
    /// @param settledFee Fees of the leaves paid or voided by an upheld dispute, wei (<= totalFee).
    /// @param leafCount Number of leaves.
    /// @param settledLeaves Leaves paid or voided.
    /// @param collateral Collateral still locked for the batch, wei.
    /// @param price The version's price per job at post time, wei (every leaf's fee must cover it).
    /// @param modelOwner Royalty recipient of record at post time.
    /// @param royaltyBps Royalty at post time, bps.
    struct Batch {
        address provider;
        uint32 modelId;
        uint16 version;
        uint32 postedAt;
        bool closed;
        bytes32 root;
        uint96 totalFee;
        uint96 settledFee;
        uint32 leafCount;
        uint32 settledLeaves;
        uint96 collateral;
        uint96 price;
        address modelOwner;
        uint16 royaltyBps;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice A constructor address was zero, or the escrow does not share this contract's token,
    ///         staking and settlement.
    error InvalidWiring();
    /// @notice Windows (seconds) must satisfy challengeWindow > 0, payoutWindow > 0 and
    ///         withdrawalNotice >= challengeWindow + payoutWindow.
    error InvalidWindows(uint64 challengeWindow, uint64 payoutWindow, uint64 withdrawalNotice);
    /// @notice An amount argument was zero.
    error ZeroAmount();
    /// @notice `amount` (wei) does not fit in uint96.
    error AmountTooLarge(uint256 amount);
    /// @notice A batch needs a nonzero root, 1 .. MAX_LEAVES leaves and a total fee in 1 .. 2^96 - 1 wei.
    error InvalidBatch(bytes32 root, uint256 leafCount, uint256 totalFee);
    /// @notice Version `version` of model `modelId` is deprecated (no new batches).
    error BatchModelDeprecated(uint32 modelId, uint16 version);
    /// @notice Version `version` of model `modelId` does not support the optimistic mode.
    error BatchModeNotSupported(uint32 modelId, uint16 version);
    /// @notice Batch `batchId` does not exist.
    error UnknownBatch(uint256 batchId);
    /// @notice Batch `batchId` is closed.
    error BatchIsClosed(uint256 batchId);
    /// @notice The challenge window of batch `batchId` is open until `challengeEnd` (unix s).
    error BatchChallengeWindowOpen(uint256 batchId, uint64 challengeEnd);
    /// @notice The challenge window of batch `batchId` closed at `challengeEnd` (unix s).
    error BatchChallengeWindowClosed(uint256 batchId, uint64 challengeEnd);
    /// @notice The payout window of batch `batchId` closed at `payoutEnd` (unix s): it can only be closed.
    error PayoutWindowClosed(uint256 batchId, uint64 payoutEnd);
    /// @notice The payout window of batch `batchId` is open until `payoutEnd` (unix s).
    error PayoutWindowOpen(uint256 batchId, uint64 payoutEnd);
    /// @notice Leaf `index` is not below the leaf count `leafCount` of batch `batchId`.
    error LeafIndexOutOfRange(uint256 batchId, uint256 index, uint256 leafCount);
    /// @notice Leaf `index` of batch `batchId` was already paid or voided.
    error LeafAlreadySettled(uint256 batchId, uint256 index);
    /// @notice The leaves and proof given are not in the root of batch `batchId`.
    error InvalidMerkleProof(uint256 batchId);
    /// @notice `leaves` and `signatures` differ in length, or no leaves were given.
    error LengthMismatch(uint256 leaves, uint256 signatures);
    /// @notice The fee `fee` of leaf `index` is below the version's price `price` (wei).
    error LeafFeeBelowPrice(uint256 index, uint256 fee, uint256 price);
    /// @notice The signature of leaf `index` is not `requester`'s JobRequest for this leaf and provider.
    error UnauthorizedLeaf(uint256 batchId, uint256 index, address requester);
    /// @notice `requester`'s request `jobId` had expired at `deadline` (unix s) before the batch was posted
    ///         at `postedAt`.
    error RequestExpired(address requester, uint256 jobId, uint64 deadline, uint64 postedAt);
    /// @notice `requester`'s job `jobId` was already paid.
    error JobAlreadyPaid(address requester, uint256 jobId);
    /// @notice `requester` has `balance` wei, `need` wei are due.
    error InsufficientBalance(address requester, uint256 balance, uint256 need);
    /// @notice Paying would bring batch `batchId`'s settled fees to `settledFee`, above its `totalFee`.
    error BatchFeeExceeded(uint256 batchId, uint256 totalFee, uint256 settledFee);
    /// @notice The escrow has no optimistic verifier: disputes are impossible.
    error OptimisticVerifierNotSet();
    /// @notice `requester`'s withdrawal unlocks at `unlockAt` (unix s).
    error WithdrawalLocked(address requester, uint64 unlockAt);
    /// @notice `requester` has no withdrawal to execute.
    error NoWithdrawal(address requester);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice `requester` deposited `amount` wei; its balance is now `balance`.
    event Deposited(address indexed requester, uint256 amount, uint256 balance);
    /// @notice `requester` asked to withdraw `amount` wei at or after `unlockAt` (unix s). Until then the
    ///         amount stays chargeable.
    event WithdrawalRequested(address indexed requester, uint256 amount, uint64 unlockAt);
    /// @notice `requester` withdrew `amount` wei.
    event Withdrawn(address indexed requester, uint256 amount);
    /// @notice `provider` posted batch `batchId`: `leafCount` leaves of (`modelId`, `version`) under `root`,
    ///         fees up to `totalFee` wei, `collateral` wei locked. Disputable until `challengeEnd`, payable
    ///         after it until `payoutEnd` (unix s).
    event BatchPosted(
        uint256 indexed batchId,
        address indexed provider,
        uint32 indexed modelId,
        uint16 version,
        bytes32 root,
        uint256 leafCount,
        uint256 totalFee,
        uint256 collateral,
        uint64 challengeEnd,
        uint64 payoutEnd
    );
    /// @notice `leafCount` leaves of batch `batchId` were paid (by `caller`): `fee` wei credited in
    ///         RewardSettlement to the provider (and model owner / treasury).
    event LeavesPaid(uint256 indexed batchId, address indexed caller, uint256 leafCount, uint256 fee);
    /// @notice `requester` was charged `amount` wei for leaves of batch `batchId` (one event per run of its
    ///         consecutive leaves in a payment).
    event RequesterCharged(address indexed requester, uint256 indexed batchId, uint256 amount);
    /// @notice The verifier upheld `challenger`'s dispute of leaf `index` (job `jobId` of `requester`) of
    ///         batch `batchId`: the leaf is void (never charged), `slashed` wei of the batch collateral were
    ///         slashed (`reward` wei to the challenger), the bond returned.
    event LeafDisputeUpheld(
        uint256 indexed batchId,
        uint256 indexed index,
        address indexed challenger,
        address requester,
        uint256 jobId,
        uint256 slashed,
        uint256 reward
    );
    /// @notice The verifier rejected `challenger`'s dispute of leaf `index` of batch `batchId`: its bond of
    ///         `bond` wei was credited to the provider in RewardSettlement.
    event LeafDisputeRejected(uint256 indexed batchId, uint256 indexed index, address indexed challenger, uint256 bond);
    /// @notice Batch `batchId` closed: `released` wei of collateral returned to the provider; `unpaidLeaves`
    ///         leaves were never paid (never charged).
    event BatchClosed(uint256 indexed batchId, uint256 released, uint256 unpaidLeaves);

    // ---------------------------------------------------------------------------------------------
    // Requester
    // ---------------------------------------------------------------------------------------------

    /// @notice Adds `amount` wei (pulled with transferFrom) to the caller's prepaid balance.
    /// @dev Reverts ZeroAmount, AmountTooLarge. Emits Deposited.
    function deposit(uint256 amount) external;

    /// @notice `deposit` paying by an EIP-2612 permit of `amount` to this contract (signed by the caller).
    /// @dev A failing permit (e.g. front-run) is ignored if the allowance already suffices.
    function depositWithPermit(uint256 amount, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Announces a withdrawal of `amount` wei, executable after WITHDRAWAL_NOTICE seconds (replaces
    ///         any earlier announcement and restarts the notice). The amount stays chargeable until then:
    ///         WITHDRAWAL_NOTICE >= CHALLENGE_WINDOW + PAYOUT_WINDOW, so funds can never leave from under a
    ///         batch posted before the announcement.
    /// @dev Reverts ZeroAmount, AmountTooLarge. Emits WithdrawalRequested.
    function requestWithdrawal(uint256 amount) external;

    /// @notice Executes the caller's announced withdrawal once unlocked: min(announced, balance) wei.
    /// @dev Reverts NoWithdrawal, WithdrawalLocked. Emits Withdrawn.
    /// @return amount Wei transferred.
    function withdraw() external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Provider
    // ---------------------------------------------------------------------------------------------

    /// @notice Posts a batch of `leafCount` answered job requests on (`modelId`, `version`) under `root`,
    ///         whose fees total at most `totalFee` wei, locking collateral
    ///         max(totalFee * ratioBps / 10_000, minCollateral) (the escrow's collateral terms) from the
    ///         caller's free stake.
    /// @dev Reverts InvalidBatch, UnknownModelVersion (registry), BatchModelDeprecated,
    ///      BatchModeNotSupported, and ProviderStaking's NotServingModel, StakeTooLow, InsufficientFreeStake.
    ///      Emits BatchPosted.
    /// @return batchId The new batch's id (sequential, first is 1).
    function postBatch(bytes32 root, uint256 leafCount, uint256 totalFee, uint32 modelId, uint16 version)
        external
        returns (uint256 batchId);

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @notice Pays `leaves` of batch `batchId` after its challenge window, within its payout window.
    ///         `leaves` are given in multiproof order (ascending leaf index = descending tree position,
    ///         as OpenZeppelin's multiproof builders return them), `signatures[i]` is the JobRequest signature of `leaves[i]`'s requester.
    ///         Each leaf: not yet settled, fee >= price, signature valid, request not expired when the batch
    ///         was posted, job id unused; then the requester is debited. The total is credited in
    ///         RewardSettlement once. The batch closes when its last leaf settles.
    /// @dev Reverts UnknownBatch, BatchIsClosed, BatchChallengeWindowOpen, PayoutWindowClosed, LengthMismatch,
    ///      LeafIndexOutOfRange, LeafAlreadySettled, LeafFeeBelowPrice, UnauthorizedLeaf, RequestExpired,
    ///      JobAlreadyPaid, InsufficientBalance, InvalidMerkleProof, BatchFeeExceeded.
    ///      Emits RequesterCharged per run of one requester's leaves, LeavesPaid (and BatchClosed).
    /// @return fee Wei paid in total.
    function payLeaves(
        uint256 batchId,
        Leaf[] calldata leaves,
        RequestSignature[] calldata signatures,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) external returns (uint256 fee);

    /// @notice Disputes one leaf of batch `batchId` during its challenge window, posting the escrow's
    ///         `challengeBond()` (pulled with transferFrom). The escrow's optimistic verifier judges
    ///         `evidence` at once: upheld -> the leaf is void (its requester is never charged), its share of
    ///         the collateral (collateral * fee / remaining unsettled fee) slashed with the challenger
    ///         rewarded by staking's slash split, the bond returned; rejected -> the bond is credited to the
    ///         provider. Other leaves are untouched.
    /// @dev Reverts UnknownBatch, BatchIsClosed, BatchChallengeWindowClosed, LeafIndexOutOfRange,
    ///      LeafAlreadySettled, InvalidMerkleProof, OptimisticVerifierNotSet. Emits LeafDisputeUpheld or
    ///      LeafDisputeRejected (and BatchClosed when the last leaf settles).
    /// @param proof The leaf's Merkle proof.
    function disputeLeaf(uint256 batchId, Leaf calldata leaf, bytes32[] calldata proof, bytes calldata evidence)
        external;

    /// @notice Closes batch `batchId` after its payout window: unpaid leaves can no longer be paid, the
    ///         remaining collateral is released to the provider.
    /// @dev Reverts UnknownBatch, BatchIsClosed, PayoutWindowOpen. Emits BatchClosed.
    function closeBatch(uint256 batchId) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice The batch `batchId` as stored (all zero if it does not exist).
    function getBatch(uint256 batchId) external view returns (Batch memory);

    /// @notice Number of batches ever posted (= highest batchId).
    function batchCount() external view returns (uint256);

    /// @notice True if leaf `index` of batch `batchId` was paid or voided.
    function isLeafSettled(uint256 batchId, uint256 index) external view returns (bool);

    /// @notice True if `requester`'s job `jobId` was paid (in any batch).
    function isJobPaid(address requester, uint256 jobId) external view returns (bool);

    /// @notice `requester`'s prepaid balance (wei), announced withdrawal (wei) and its unlock time (unix s).
    function accountOf(address requester)
        external
        view
        returns (uint256 balance, uint256 withdrawalAmount, uint64 unlockAt);

    /// @notice The Merkle leaf hash of `leaf` (double keccak256 of its ABI encoding).
    function leafHash(Leaf calldata leaf) external pure returns (bytes32);

    /// @notice The EIP-712 digest `requester` signs for the JobRequest behind `leaf` in a batch of
    ///         `provider` on (`modelId`, `version`).
    function requestDigest(address provider, uint32 modelId, uint16 version, Leaf calldata leaf, uint64 deadline)
        external
        view
        returns (bytes32);

    /// @notice EIP-712 type hash of
    ///         JobRequest(address provider,uint32 modelId,uint16 version,bytes32 inputHash,uint256 fee,
    ///         uint256 jobId,uint64 deadline).
    function JOB_REQUEST_TYPEHASH() external view returns (bytes32);
    /// @notice Maximum leaves per batch.
    function MAX_LEAVES() external view returns (uint256);
    /// @notice Dispute window after a post, seconds.
    function CHALLENGE_WINDOW() external view returns (uint64);
    /// @notice Payout window after the challenge window, seconds.
    function PAYOUT_WINDOW() external view returns (uint64);
    /// @notice Notice between a withdrawal announcement and its execution, seconds.
    function WITHDRAWAL_NOTICE() external view returns (uint64);
    /// @notice The OPG token.
    function OPG() external view returns (address);
    /// @notice The model registry.
    function REGISTRY() external view returns (address);
    /// @notice Provider staking (collateral; grant this contract JOB_MANAGER_ROLE).
    function STAKING() external view returns (address);
    /// @notice Reward settlement (grant this contract FEE_SOURCE_ROLE there).
    function SETTLEMENT() external view returns (address);
    /// @notice The escrow whose collateral terms, challenge bond and optimistic verifier batches use.
    function ESCROW() external view returns (address);
}
