// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VerificationMode} from "./IModelRegistry.sol";

/// @notice Lifecycle of an inference job.
/// @dev Stored: Open, Claimed, Submitted. A job that ended (finalized, cancelled, expired, or slashed after an
///      upheld challenge) reads as Closed (its slot holds a tombstone, later the job that recycled it); the event
///      that closed it says how. None: an id the escrow never issued (such an id may also read Closed when it
///      names a used slot: see `jobStatus`).
enum JobStatus {
    None,
    Open,
    Claimed,
    Submitted,
    Closed
}

/// @title IInferenceEscrow
/// @notice Inference-job escrow. A requester creates a job pinned to an exact model version (fee escrowed,
///         paid by approve or EIP-2612 permit); an eligible provider claims it (collateral locked in
///         ProviderStaking); the provider submits the output before the deadline. Optimistic jobs finalize
///         after a challenge window (a challenger may dispute with a bond, judged by the mode's verifier);
///         TEE / ZK jobs finalize at submit when the mode's verifier accepts the proof. Finalized fees are
///         credited in RewardSettlement (provider / model owner / treasury) and stay in this contract,
///         counted in `settledUnswept`, until the settlement pulls them to pay claims.
///         Job ids: the n-th job created has sequence number n (bits 0-39 of its id); it lives in a storage slot
///         that closed jobs hand on to new ones. Its id is n when its slot number is n (every job until the
///         first slot is recycled), else (slot << 40) | n. Ids stay below 2^63. Read a new job's id from its
///         JobCreated event (`lastJobId` is the latest job of anyone).
///         The requester may cancel an unclaimed job; after the deadline anyone may expire an unfinished
///         job: full refund to the requester and, if it was claimed, the provider's collateral is slashed
///         with a bounty to the caller. Pausing stops `createJob*` only.
/// @dev Units: amounts in OPG wei; times in unix seconds; ratios in basis points (10_000 = 100%).
///      Invariant: OPG.balanceOf(escrow) == sum of fees of live jobs + settledUnswept (challenge bonds
///      never outlive their transaction). A job pins at creation: collateral = max(fee * collateralRatioBps /
///      10_000, minCollateral) under the collateral terms then in force, the challenge window then in force, and
///      the version's royalty recipient (its registry owner then) and royalty bps.
interface IInferenceEscrow {
    // ---------------------------------------------------------------------------------------------
    // Structs
    // ---------------------------------------------------------------------------------------------

    /// @notice A job. Stored as one slot, `jobHash(jobId)` = keccak256(abi.encode(jobId, job)) with its low 56
    ///         bits replaced by the job's sequence number (bits 8-55) and `status` (bits 0-7); callers pass the
    ///         current struct to every transition, rebuilt from the job's events: JobCreated (requester, fee,
    ///         modelId, version, mode, deadline, commitment = inputHash, collateral, challengeWindow,
    ///         royaltyOwner, royaltyBps; status Open), JobClaimed (provider; status Claimed), and for an
    ///         optimistic job ResultSubmitted (deadline = challengeEnd, commitment = keccak256(abi.encode(inputHash,
    ///         outputHash, traceRoot)); status Submitted).
    /// @param requester Who created and paid for the job.
    /// @param fee Escrowed fee, wei.
    /// @param provider Who claimed the job (address(0) while Open).
    /// @param modelId Registry model id.
    /// @param version Pinned model version.
    /// @param status Open, Claimed or Submitted.
    /// @param mode Verification mode.
    /// @param deadline Unix seconds: the claim/submit deadline; after submit, the end of the challenge window.
    /// @param commitment keccak256(input) until submit; then, for an optimistic job,
    ///        keccak256(abi.encode(inputHash, outputHash, traceRoot)).
    /// @param collateral Collateral (wei) the provider locks when claiming, fixed at creation.
    /// @param challengeWindow Challenge window (seconds) after an optimistic submit, fixed at creation.
    /// @param royaltyOwner Receives the royalty: the version's registry owner at creation.
    /// @param royaltyBps The version's royalty, bps.
    struct Job {
        address requester;
        uint96 fee;
        address provider;
        uint32 modelId;
        uint16 version;
        JobStatus status;
        VerificationMode mode;
        uint32 deadline;
        bytes32 commitment;
        uint96 collateral;
        uint32 challengeWindow;
        address royaltyOwner;
        uint16 royaltyBps;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice Job `jobId` is in `status`, which does not allow the requested transition.
    error InvalidJobStatus(uint256 jobId, JobStatus status);
    /// @notice The Job struct passed for live job `jobId` is not its current one (a field altered, or stale
    ///         after a transition): its seal differs from `jobHash(jobId)`.
    error JobMismatch(uint256 jobId);
    /// @notice `caller` is not the requester of job `jobId`.
    error NotRequester(uint256 jobId, address caller);
    /// @notice `caller` is not the provider of job `jobId`.
    error NotProvider(uint256 jobId, address caller);
    /// @notice The deadline of job `jobId` (`deadline`, unix s) has passed.
    error DeadlinePassed(uint256 jobId, uint64 deadline);
    /// @notice The deadline of job `jobId` (`deadline`, unix s) has not passed yet.
    error DeadlineNotPassed(uint256 jobId, uint64 deadline);
    /// @notice The challenge window of job `jobId` is open until `challengeEnd` (unix s).
    error ChallengeWindowOpen(uint256 jobId, uint64 challengeEnd);
    /// @notice The challenge window of job `jobId` closed at `challengeEnd` (unix s).
    error ChallengeWindowClosed(uint256 jobId, uint64 challengeEnd);
    /// @notice A new job's deadline must lie in (now, latest], latest = min(now + MAX_JOB_DURATION,
    ///         2^32 - 1 - MAX_CHALLENGE_WINDOW): job times are stored as uint32 seconds, and the challenge
    ///         window that follows a submission must end before they run out (February 2106).
    error InvalidDeadline(uint64 deadline, uint64 latest);
    /// @notice The fee `fee` is below the version's price `price` (wei).
    error FeeBelowPrice(uint256 fee, uint256 price);
    /// @notice The fee `fee` exceeds type(uint96).max.
    error FeeTooLarge(uint256 fee);
    /// @notice Version `version` of model `modelId` is deprecated (no new jobs).
    error ModelVersionDeprecated(uint32 modelId, uint16 version);
    /// @notice Version `version` of model `modelId` does not support verification `mode`.
    error ModeNotSupported(uint32 modelId, uint16 version, VerificationMode mode);
    /// @notice No verifier is set for verification `mode`.
    error VerifierNotSet(VerificationMode mode);
    /// @notice The verifier rejected the proof submitted for job `jobId`.
    error ProofRejected(uint256 jobId);
    /// @notice The hashes given for job `jobId` do not match its stored commitment.
    error CommitmentMismatch(uint256 jobId, bytes32 commitment);
    /// @notice An optimistic result's proof for job `jobId` must be its 32-byte trace root; it was
    ///         `proofLength` bytes.
    error InvalidTraceRoot(uint256 jobId, uint256 proofLength);
    /// @notice Only the RewardSettlement contract may call this; `caller` is not it.
    error NotSettlement(address caller);
    /// @notice The escrow has issued 2^40 - 1 jobs, or 2^23 - 1 jobs are live at once (no slot to put a new one).
    error JobCapacityReached();
    /// @notice A constructor address was zero, or the settlement does not name this escrow as its escrow.
    error InvalidWiring();
    /// @notice `ratioBps` is above MAX_COLLATERAL_RATIO_BPS or `minCollateral` does not fit in uint96.
    error InvalidCollateralTerms(uint256 ratioBps, uint256 minCollateral);
    /// @notice `window` (seconds) is outside [MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW].
    error InvalidChallengeWindow(uint64 window);
    /// @notice `bond` (wei) does not fit in uint96.
    error InvalidChallengeBond(uint256 bond);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice Job `jobId` was created and its fee escrowed. Carries everything a provider node needs.
    /// @param fee Escrowed fee, wei.
    /// @param deadline Claim/submit deadline, unix s.
    /// @param inputHash keccak256(input).
    /// @param collateral Collateral the provider will lock, wei.
    /// @param challengeWindow Challenge window after an optimistic submit, seconds.
    /// @param royaltyOwner Recipient of the job's royalty.
    /// @param royaltyBps Royalty, bps.
    /// @param input The input bytes.
    event JobCreated(
        uint256 indexed jobId,
        address indexed requester,
        uint32 indexed modelId,
        uint16 version,
        VerificationMode mode,
        uint256 fee,
        uint64 deadline,
        bytes32 inputHash,
        uint256 collateral,
        uint64 challengeWindow,
        address royaltyOwner,
        uint16 royaltyBps,
        bytes input
    );
    /// @notice `provider` claimed job `jobId`, locking `collateral` wei; it must submit by `deadline`.
    event JobClaimed(uint256 indexed jobId, address indexed provider, uint256 collateral, uint64 deadline);
    /// @notice `provider` submitted `output` for job `jobId`. For an optimistic job the challenge window
    ///         ends at `challengeEnd` and `traceRoot` is the provider's commitment to every layer's output
    ///         (what a challenger disputes); for TEE / ZK jobs the proof was accepted, `traceRoot` is zero
    ///         and JobFinalized follows.
    event ResultSubmitted(
        uint256 indexed jobId,
        address indexed provider,
        bytes32 outputHash,
        bytes32 traceRoot,
        uint64 challengeEnd,
        bytes output
    );
    /// @notice Job `jobId` was settled: `fee` wei credited in RewardSettlement; collateral released.
    event JobFinalized(uint256 indexed jobId, address indexed provider, uint256 fee);
    /// @notice The requester cancelled unclaimed job `jobId` and got `refund` wei back.
    event JobCancelled(uint256 indexed jobId, address indexed requester, uint256 refund);
    /// @notice `caller` expired job `jobId` after its deadline: `refund` wei to the requester; if it had
    ///         been claimed, `slashed` wei of collateral slashed of which `bounty` wei went to `caller`.
    event JobExpired(uint256 indexed jobId, address indexed caller, uint256 refund, uint256 slashed, uint256 bounty);
    /// @notice The verifier upheld `challenger`'s challenge of job `jobId`: the provider's `slashed` wei of
    ///         collateral were slashed (`reward` wei to the challenger), the requester refunded `refund`
    ///         wei, and the challenger's bond returned.
    event ChallengeUpheld(
        uint256 indexed jobId, address indexed challenger, uint256 slashed, uint256 reward, uint256 refund
    );
    /// @notice The verifier rejected `challenger`'s challenge of job `jobId`: its bond of `bond` wei was
    ///         credited to the provider in RewardSettlement. The job stays Submitted.
    event ChallengeRejected(uint256 indexed jobId, address indexed challenger, uint256 bond);
    /// @notice `amount` wei of settled fees moved to the RewardSettlement contract.
    event SettledFeesSwept(uint256 amount);
    /// @notice Governance set the collateral terms for jobs created from now on.
    event CollateralTermsUpdated(uint16 ratioBps, uint256 minCollateral);
    /// @notice Governance set the challenge window (seconds) for jobs created from now on.
    event ChallengeWindowUpdated(uint64 window);
    /// @notice Governance set the challenge bond (wei).
    event ChallengeBondUpdated(uint256 bond);
    /// @notice Governance set the verifier of `mode`.
    event VerifierUpdated(VerificationMode indexed mode, address verifier);

    // ---------------------------------------------------------------------------------------------
    // Requester
    // ---------------------------------------------------------------------------------------------

    /// @notice Creates a job on `modelId` / `version` and escrows `maxFee` (pulled with transferFrom).
    /// @dev The whole `maxFee` is escrowed and paid on success; it must be >= the version's pricePerJob.
    ///      Reverts EnforcedPause, InvalidDeadline, FeeTooLarge, UnknownModelVersion (registry),
    ///      ModelVersionDeprecated, ModeNotSupported, FeeBelowPrice, VerifierNotSet (TEE / ZK without a
    ///      verifier). Emits JobCreated.
    /// @param mode Verification mode (must be in the version's modesMask).
    /// @param maxFee Fee offered, wei.
    /// @param deadline Unix seconds by which the result must be submitted; <= now + MAX_JOB_DURATION and
    ///        <= 2^32 - 1 - MAX_CHALLENGE_WINDOW.
    /// @param input Input bytes (kept in the event; only keccak256(input) is stored).
    ///      Gas: a creation that finds a recycled job slot rewrites it (5,000); one that finds none writes a fresh
    ///      slot (22,100). An estimate taken while another creation is pending may have counted on the recycled
    ///      slot that creation takes: give pipelined creations 17,100 gas more than their estimate.
    /// @return jobId The new job's id (see the contract notes: its low 40 bits are the sequence number).
    function createJob(
        uint32 modelId,
        uint16 version,
        VerificationMode mode,
        uint256 maxFee,
        uint64 deadline,
        bytes calldata input
    ) external returns (uint256 jobId);

    /// @notice `createJob` paying by an EIP-2612 permit of `maxFee` to this contract (signed by the caller).
    /// @dev A failing permit (e.g. front-run) is ignored if the allowance is already sufficient; a replayed
    ///      permit therefore fails in transferFrom (ERC20InsufficientAllowance).
    function createJobWithPermit(
        uint32 modelId,
        uint16 version,
        VerificationMode mode,
        uint256 maxFee,
        uint64 deadline,
        bytes calldata input,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 jobId);

    /// @notice The requester cancels an Open job and is refunded the full fee.
    /// @dev Reverts InvalidJobStatus, JobMismatch, NotRequester. Emits JobCancelled.
    /// @param job The job's current struct (see `Job`).
    function cancelJob(uint256 jobId, Job calldata job) external;

    // ---------------------------------------------------------------------------------------------
    // Provider
    // ---------------------------------------------------------------------------------------------

    /// @notice Claims an Open job before its deadline, locking collateral from the caller's free stake.
    /// @dev Reverts InvalidJobStatus, JobMismatch, DeadlinePassed, and ProviderStaking's NotServingModel,
    ///      StakeTooLow, InsufficientFreeStake. Emits JobClaimed.
    /// @param job The job's current struct (see `Job`).
    function claimJob(uint256 jobId, Job calldata job) external;

    /// @notice The job's provider submits `output` before the deadline. Optimistic jobs open the challenge
    ///         window; TEE / ZK jobs are verified with `proof` by the mode's verifier and finalized at once.
    /// @dev Reverts InvalidJobStatus, JobMismatch, NotProvider, DeadlinePassed, InvalidTraceRoot (optimistic),
    ///      VerifierNotSet, ProofRejected (TEE / ZK). Emits ResultSubmitted (and JobFinalized for TEE / ZK).
    /// @param proof Optimistic jobs: exactly the 32-byte trace root (keccak256 of the concatenated per-layer
    ///        output commitments, docs/runtime.md), bound into the result commitment. TEE / ZK jobs: the
    ///        mode's proof, passed to its verifier.
    /// @param job The job's current struct (see `Job`).
    function submitResult(uint256 jobId, Job calldata job, bytes calldata output, bytes calldata proof) external;

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @notice Finalizes a Submitted job once its challenge window has ended: credits the fee in
    ///         RewardSettlement, releases the collateral, closes the job. The royalty goes to the job's
    ///         `royaltyOwner`, the version's registry owner when the job was created.
    /// @dev Reverts InvalidJobStatus, JobMismatch, ChallengeWindowOpen. Emits JobFinalized.
    /// @param job The job's current struct (see `Job`).
    function finalizeJob(uint256 jobId, Job calldata job) external;

    /// @notice After the deadline, closes an Open or Claimed job: full refund to the requester; if Claimed,
    ///         the provider's collateral is slashed and the caller receives the staking slash reward.
    /// @dev Reverts InvalidJobStatus, JobMismatch, DeadlineNotPassed. Emits JobExpired.
    /// @param job The job's current struct (see `Job`).
    function expireJob(uint256 jobId, Job calldata job) external;

    /// @notice Challenges an optimistic job's result during its window, posting `challengeBond()` (pulled
    ///         with transferFrom). The optimistic verifier judges `evidence` at once: upheld -> provider
    ///         slashed (challenger rewarded from the slash), requester refunded, bond returned, job closed;
    ///         rejected -> bond credited to the provider, job stays Submitted.
    /// @dev Reverts InvalidJobStatus, JobMismatch, ChallengeWindowClosed, CommitmentMismatch, VerifierNotSet.
    ///      Emits ChallengeUpheld or ChallengeRejected.
    /// @param job The job's current struct (see `Job`).
    /// @param inputHash keccak256 of the job input (from JobCreated).
    /// @param outputHash keccak256 of the submitted output (from ResultSubmitted).
    /// @param traceRoot The provider's trace root (from ResultSubmitted).
    function challengeResult(
        uint256 jobId,
        Job calldata job,
        bytes32 inputHash,
        bytes32 outputHash,
        bytes32 traceRoot,
        bytes calldata evidence
    ) external;

    // ---------------------------------------------------------------------------------------------
    // RewardSettlement
    // ---------------------------------------------------------------------------------------------

    /// @notice Transfers all settled fees (`settledUnswept`) to the settlement contract. Only the settlement.
    /// @dev Reverts NotSettlement. Emits SettledFeesSwept when the amount is non-zero.
    /// @return amount Wei transferred.
    function sweepSettled() external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Governance (DEFAULT_ADMIN_ROLE) and PAUSER_ROLE
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the collateral terms (ratio in bps <= MAX_COLLATERAL_RATIO_BPS, minimum in wei) for jobs
    ///         created from now on; existing jobs keep the collateral they were created with.
    function setCollateralTerms(uint16 ratioBps, uint256 minCollateral) external;

    /// @notice Sets the challenge window (seconds) in [MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW] for jobs
    ///         created from now on.
    function setChallengeWindow(uint64 window) external;

    /// @notice Sets the bond (wei) a challenger posts.
    function setChallengeBond(uint256 bond) external;

    /// @notice Sets the verifier of `mode` (address(0) disables challenges / new TEE-ZK jobs of that mode).
    function setVerifier(VerificationMode mode, address verifier) external;

    /// @notice Stops `createJob` and `createJobWithPermit`. PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes job creation. PAUSER_ROLE.
    function unpause() external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice The stored seal of live job `jobId` (see `Job`); zero if it never existed or once it closed.
    function jobHash(uint256 jobId) external view returns (bytes32);

    /// @notice The seal of `job` as job `jobId` (what `jobHash` holds while `job` is its current struct).
    function sealJob(uint256 jobId, Job calldata job) external pure returns (bytes32);

    /// @notice Status of `jobId`: Closed once it ended. An id the escrow never issued reads None, or Closed if
    ///         it names a slot that held another job (the escrow keeps no per-id record of closed jobs).
    function jobStatus(uint256 jobId) external view returns (JobStatus);

    /// @notice Id of the latest job created (0 before the first).
    function lastJobId() external view returns (uint256);

    /// @notice Ids the next `count` jobs created will get if no job closes and nobody else creates one meanwhile
    ///         (a close pushes its slot onto the free list the next creation pops). For pre-signing transitions
    ///         of jobs not yet mined (a transition signed for the wrong id fails its seal check: JobMismatch).
    /// @dev Walks `count` entries of the free list: a view for off-chain callers (cost grows with `count`).
    function nextJobIds(uint256 count) external view returns (uint256[] memory);

    /// @notice Collateral (wei) a job created now with fee `fee` (wei) would lock.
    function collateralFor(uint256 fee) external view returns (uint256);

    /// @notice Current collateral terms (for jobs created from now on): ratio (bps) and minimum (wei).
    function collateralTerms() external view returns (uint16 ratioBps, uint256 minCollateral);

    /// @notice Challenge window, seconds.
    function challengeWindow() external view returns (uint64);

    /// @notice Challenge bond, wei.
    function challengeBond() external view returns (uint256);

    /// @notice Verifier of `mode` (address(0) if unset).
    function verifier(VerificationMode mode) external view returns (address);

    /// @notice Finalized fees (and forfeited bonds) held here for RewardSettlement, wei.
    function settledUnswept() external view returns (uint256);

    /// @notice Number of jobs ever created (= the latest job's sequence number).
    function jobCount() external view returns (uint256);

    /// @notice Role that may pause job creation.
    function PAUSER_ROLE() external view returns (bytes32);
    /// @notice Upper bound of a job's deadline after creation, seconds.
    function MAX_JOB_DURATION() external view returns (uint64);
    /// @notice Hard cap on collateralRatioBps.
    function MAX_COLLATERAL_RATIO_BPS() external view returns (uint16);
    /// @notice Bounds of the challenge window, seconds.
    function MIN_CHALLENGE_WINDOW() external view returns (uint64);
    /// @notice Bounds of the challenge window, seconds.
    function MAX_CHALLENGE_WINDOW() external view returns (uint64);
    /// @notice The OPG token.
    function OPG() external view returns (address);
    /// @notice The model registry.
    function REGISTRY() external view returns (address);
    /// @notice Provider staking (collateral).
    function STAKING() external view returns (address);
    /// @notice Reward settlement (fee credits).
    function SETTLEMENT() external view returns (address);
}
