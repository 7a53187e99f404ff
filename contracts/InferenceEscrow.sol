// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IInferenceEscrow, JobStatus} from "./interfaces/IInferenceEscrow.sol";
import {IJobVerifier} from "./interfaces/IJobVerifier.sol";
import {IModelRegistry, VerificationMode} from "./interfaces/IModelRegistry.sol";
import {IProviderStaking} from "./interfaces/IProviderStaking.sol";
import {IRewardSettlement} from "./interfaces/IRewardSettlement.sol";

/// @title InferenceEscrow
/// @notice Job state machine and fee custody until settlement; disputes through per-mode verifiers.
/// @dev Gas layout (the optimistic lifecycle is the protocol's hot path):
///      - a job is ONE slot holding its seal: keccak256(abi.encode(jobId, job)) with the low 56 bits replaced
///        by the job's sequence number (bits 8-55) and status (bits 0-7) (`_seal`). Callers pass the Job struct as
///        calldata (rebuilt off-chain from the job's events); every transition checks it against the seal
///        (JobMismatch), then writes the new seal. The job pins at creation everything later transitions need
///        (collateral, challenge window, royalty recipient and bps), so claim, submit and finalize read no
///        terms from storage. `deadline` is reused for the end of the challenge window after submit;
///        `commitment` is keccak256(input) until an optimistic submit, then keccak256(abi.encode(inputHash,
///        outputHash, traceRoot)). Input / output bytes live in events only.
///      - job slots are recycled: a closing job leaves a tombstone (its sequence number, status Closed and the
///        next free slot) and becomes the head of a free list; the next job created reuses that slot, so a job
///        costs a non-zero rewrite (5,000) instead of a fresh slot (22,100). Slots are numbered 1, 2, ... as
///        they are first needed (so their number is the peak count of live jobs). The job id names both the
///        sequence number (bits 0-39) and the slot (bits 40-62): jobId = seq when slot == seq (every job until
///        the first recycling), else (slot << 40) | seq (`_slotOf`). Ids stay below 2^63 (SQLite / int64): at most
///        2^23 - 1 slots, i.e. jobs live at once.
///      - fees are not transferred at finalize: they stay here, counted in `_settledUnswept`, and
///        RewardSettlement pulls them in one transfer when paying claims.
///      - the job counter, the free-list head, the latest job's slot and the settled counter pack with
///        Pausable's flag into one slot (written by every creation and every close); the governance terms a
///        creation reads (collateral terms, challenge window, challenge bond) share a second one.
contract InferenceEscrow is IInferenceEscrow, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IInferenceEscrow
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @inheritdoc IInferenceEscrow
    uint64 public constant MAX_JOB_DURATION = 30 days;
    /// @inheritdoc IInferenceEscrow
    uint16 public constant MAX_COLLATERAL_RATIO_BPS = 50_000;
    /// @inheritdoc IInferenceEscrow
    uint64 public constant MIN_CHALLENGE_WINDOW = 1 minutes;
    /// @inheritdoc IInferenceEscrow
    uint64 public constant MAX_CHALLENGE_WINDOW = 7 days;

    uint256 private constant BPS = 10_000;
    /// @dev Latest storable deadline, unix s: its challenge window (<= MAX_CHALLENGE_WINDOW) ends in uint32.
    uint64 private constant _LATEST_DEADLINE = type(uint32).max - MAX_CHALLENGE_WINDOW;

    /// @inheritdoc IInferenceEscrow
    address public immutable OPG;
    /// @inheritdoc IInferenceEscrow
    address public immutable REGISTRY;
    /// @inheritdoc IInferenceEscrow
    address public immutable STAKING;
    /// @inheritdoc IInferenceEscrow
    address public immutable SETTLEMENT;

    // One slot with Pausable's `_paused` (8 bits): 8 + 40 + 24 + 24 + 24 + 96 = 216 bits.
    uint40 private _jobCount; // sequence number of the latest job
    uint24 private _slotCount; // job slots ever allocated
    uint24 private _freeHead; // first recycled slot (0: none)
    uint24 private _lastSlot; // slot of the latest job (`lastJobId`)
    uint96 private _settledUnswept; // wei; <= this contract's balance <= the OPG cap < 2^96

    // One slot: 16 + 96 + 32 + 96 = 240 bits.
    uint16 private _collateralRatioBps;
    uint96 private _minCollateral; // wei
    uint32 private _challengeWindow; // seconds
    uint96 private _challengeBond; // wei

    mapping(VerificationMode mode => address) private _verifiers;
    /// @dev Slot index -> seal of its live job (see `_seal`), or tombstone of its latest job, or zero (never used).
    mapping(uint256 slot => uint256 word) private _jobs;

    /// @param opg The OPG token (ERC-20 + EIP-2612).
    /// @param registry The ModelRegistry (jobTerms).
    /// @param staking ProviderStaking; grant this escrow its JOB_MANAGER_ROLE and SLASHER_ROLE.
    /// @param settlement RewardSettlement, deployed first with this escrow's (predicted) address as ESCROW.
    /// @param admin Governance: DEFAULT_ADMIN_ROLE and PAUSER_ROLE.
    /// @param collateralRatioBps Collateral per job as a share of its fee, bps (<= MAX_COLLATERAL_RATIO_BPS).
    /// @param minCollateral Minimum collateral per job, wei.
    /// @param challengeWindow Optimistic challenge window, seconds.
    /// @param challengeBond Bond a challenger posts, wei.
    constructor(
        address opg,
        address registry,
        address staking,
        address settlement,
        address admin,
        uint16 collateralRatioBps,
        uint256 minCollateral,
        uint64 challengeWindow,
        uint256 challengeBond
    ) {
        if (
            opg == address(0) || registry == address(0) || staking == address(0) || admin == address(0)
                || settlement == address(0) || IRewardSettlement(settlement).ESCROW() != address(this)
        ) revert InvalidWiring();
        OPG = opg;
        REGISTRY = registry;
        STAKING = staking;
        SETTLEMENT = settlement;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _setCollateralTerms(collateralRatioBps, minCollateral);
        _setChallengeWindow(challengeWindow);
        _setChallengeBond(challengeBond);
    }

    // ---------------------------------------------------------------------------------------------
    // Requester
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function createJob(
        uint32 modelId,
        uint16 version,
        VerificationMode mode,
        uint256 maxFee,
        uint64 deadline,
        bytes calldata input
    ) external whenNotPaused nonReentrant returns (uint256 jobId) {
        return _createJob(modelId, version, mode, maxFee, deadline, input);
    }

    /// @inheritdoc IInferenceEscrow
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
    ) external whenNotPaused nonReentrant returns (uint256 jobId) {
        // A front-run permit must not block the job: fall through to transferFrom, which needs the allowance.
        try IERC20Permit(OPG).permit(msg.sender, address(this), maxFee, permitDeadline, v, r, s) {} catch {}
        return _createJob(modelId, version, mode, maxFee, deadline, input);
    }

    /// @inheritdoc IInferenceEscrow
    function cancelJob(uint256 jobId, Job calldata job) external nonReentrant {
        uint256 slot = _requireJob(jobId, job, _OPEN);
        address requester = job.requester;
        if (msg.sender != requester) revert NotRequester(jobId, msg.sender);
        uint256 fee = job.fee;
        _close(slot, jobId, 0);
        emit JobCancelled(jobId, requester, fee);
        IERC20(OPG).safeTransfer(requester, fee);
    }

    // ---------------------------------------------------------------------------------------------
    // Provider
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function claimJob(uint256 jobId, Job calldata job) external nonReentrant {
        uint256 slot = _requireJob(jobId, job, _OPEN);
        uint32 deadline = job.deadline;
        if (block.timestamp > deadline) revert DeadlinePassed(jobId, deadline);
        uint256 collateral = job.collateral;
        _jobs[slot] = _resealClaimed(jobId, job, msg.sender);
        emit JobClaimed(jobId, msg.sender, collateral, deadline);
        // Reverts NotServingModel / StakeTooLow / InsufficientFreeStake for an ineligible provider.
        IProviderStaking(STAKING).lockCollateral(msg.sender, job.modelId, collateral);
    }

    /// @inheritdoc IInferenceEscrow
    function submitResult(uint256 jobId, Job calldata job, bytes calldata output, bytes calldata proof)
        external
        nonReentrant
    {
        uint256 slot = _requireJob(jobId, job, _CLAIMED);
        if (msg.sender != job.provider) revert NotProvider(jobId, msg.sender);
        uint32 deadline = job.deadline;
        if (block.timestamp > deadline) revert DeadlinePassed(jobId, deadline);
        bytes32 outputHash = keccak256(output);
        VerificationMode mode = job.mode;
        if (mode == VerificationMode.Optimistic) {
            if (proof.length != 32) revert InvalidTraceRoot(jobId, proof.length);
            bytes32 traceRoot = bytes32(proof);
            uint64 challengeEnd = uint64(block.timestamp) + job.challengeWindow;
            _jobs[slot] = _resealSubmitted(jobId, job, challengeEnd, _commit(job.commitment, outputHash, traceRoot));
            emit ResultSubmitted(jobId, msg.sender, outputHash, traceRoot, challengeEnd, output);
        } else {
            // TEE / ZK: the proof is checked now and the job settles at once.
            address verifier_ = _verifiers[mode];
            if (verifier_ == address(0)) revert VerifierNotSet(mode);
            IJobVerifier.JobContext memory context = _context(jobId, job, job.commitment, outputHash, bytes32(0));
            if (!IJobVerifier(verifier_).verifyResult(context, proof)) revert ProofRejected(jobId);
            emit ResultSubmitted(jobId, msg.sender, outputHash, bytes32(0), uint64(block.timestamp), output);
            _settle(slot, jobId, job);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function finalizeJob(uint256 jobId, Job calldata job) external nonReentrant {
        uint256 slot = _requireJob(jobId, job, _SUBMITTED);
        uint32 challengeEnd = job.deadline;
        if (block.timestamp <= challengeEnd) revert ChallengeWindowOpen(jobId, challengeEnd);
        _settle(slot, jobId, job);
    }

    /// @inheritdoc IInferenceEscrow
    function expireJob(uint256 jobId, Job calldata job) external nonReentrant {
        uint256 slot = _requireJob(jobId, job, _OPEN | _CLAIMED);
        bool claimed = job.status == JobStatus.Claimed;
        uint32 deadline = job.deadline;
        if (block.timestamp <= deadline) revert DeadlineNotPassed(jobId, deadline);
        address requester = job.requester;
        uint256 fee = job.fee;
        uint256 collateral = claimed ? job.collateral : 0;
        _close(slot, jobId, 0);
        uint256 bounty = 0;
        if (claimed) {
            // The caller's bounty is the staking slash reward; the rest of the slash is burned / treasury.
            bounty = IProviderStaking(STAKING).slashCollateral(job.provider, collateral, msg.sender);
        }
        emit JobExpired(jobId, msg.sender, fee, collateral, bounty);
        IERC20(OPG).safeTransfer(requester, fee);
    }

    /// @inheritdoc IInferenceEscrow
    function challengeResult(
        uint256 jobId,
        Job calldata job,
        bytes32 inputHash,
        bytes32 outputHash,
        bytes32 traceRoot,
        bytes calldata evidence
    ) external nonReentrant {
        uint256 slot = _requireJob(jobId, job, _SUBMITTED);
        address verifier_ = _challengeVerifier(jobId, job, _commit(inputHash, outputHash, traceRoot));
        uint256 bond = _challengeBond;
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), bond);

        IJobVerifier.JobContext memory context = _context(jobId, job, inputHash, outputHash, traceRoot);
        if (IJobVerifier(verifier_).judgeChallenge(context, msg.sender, evidence)) {
            _upholdChallenge(slot, jobId, job, bond);
        } else {
            _rejectChallenge(jobId, job.provider, bond);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // RewardSettlement
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function sweepSettled() external nonReentrant returns (uint256 amount) {
        if (msg.sender != SETTLEMENT) revert NotSettlement(msg.sender);
        amount = _settledUnswept;
        if (amount != 0) {
            _settledUnswept = 0; // the slot stays non-zero: it holds the job counter
            emit SettledFeesSwept(amount);
            IERC20(OPG).safeTransfer(SETTLEMENT, amount);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function setCollateralTerms(uint16 ratioBps, uint256 minCollateral) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCollateralTerms(ratioBps, minCollateral);
    }

    /// @inheritdoc IInferenceEscrow
    function setChallengeWindow(uint64 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @inheritdoc IInferenceEscrow
    function setChallengeBond(uint256 bond) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeBond(bond);
    }

    /// @inheritdoc IInferenceEscrow
    function setVerifier(VerificationMode mode, address verifier_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _verifiers[mode] = verifier_;
        emit VerifierUpdated(mode, verifier_);
    }

    /// @inheritdoc IInferenceEscrow
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IInferenceEscrow
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function jobHash(uint256 jobId) external view returns (bytes32) {
        JobStatus status = _statusOf(jobId);
        return status == JobStatus.None || status == JobStatus.Closed ? bytes32(0) : bytes32(_jobs[_slotOf(jobId)]);
    }

    /// @inheritdoc IInferenceEscrow
    function jobStatus(uint256 jobId) external view returns (JobStatus) {
        return _statusOf(jobId);
    }

    /// @inheritdoc IInferenceEscrow
    function sealJob(uint256 jobId, Job calldata job) external pure returns (bytes32) {
        return bytes32(_sealCalldata(jobId, job));
    }

    /// @inheritdoc IInferenceEscrow
    function lastJobId() external view returns (uint256) {
        return _jobIdOf(_lastSlot, _jobCount);
    }

    /// @inheritdoc IInferenceEscrow
    function nextJobIds(uint256 count) external view returns (uint256[] memory ids) {
        ids = new uint256[](count);
        uint256 seq = _jobCount;
        uint256 slot = _freeHead;
        uint256 slotCount = _slotCount;
        for (uint256 i = 0; i < count; ++i) {
            uint256 next;
            if (slot != 0) {
                next = slot;
                slot = _jobs[slot] >> _LINK_SHIFT; // the free list, as creations would pop it
            } else {
                next = ++slotCount;
            }
            ids[i] = _jobIdOf(next, ++seq);
        }
    }

    /// @inheritdoc IInferenceEscrow
    function collateralFor(uint256 fee) external view returns (uint256) {
        return _collateralFor(fee);
    }

    /// @inheritdoc IInferenceEscrow
    function collateralTerms() external view returns (uint16 ratioBps, uint256 minCollateral) {
        return (_collateralRatioBps, _minCollateral);
    }

    /// @inheritdoc IInferenceEscrow
    function challengeWindow() external view returns (uint64) {
        return _challengeWindow;
    }

    /// @inheritdoc IInferenceEscrow
    function challengeBond() external view returns (uint256) {
        return _challengeBond;
    }

    /// @inheritdoc IInferenceEscrow
    function verifier(VerificationMode mode) external view returns (address) {
        return _verifiers[mode];
    }

    /// @inheritdoc IInferenceEscrow
    function settledUnswept() external view returns (uint256) {
        return _settledUnswept;
    }

    /// @inheritdoc IInferenceEscrow
    function jobCount() external view returns (uint256) {
        return _jobCount;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    uint256 private constant _OPEN = 1 << uint256(JobStatus.Open);
    uint256 private constant _CLAIMED = 1 << uint256(JobStatus.Claimed);
    uint256 private constant _SUBMITTED = 1 << uint256(JobStatus.Submitted);

    // Word layouts. A seal: keccak256(abi.encode(jobId, job)) in bits 56-255, the job's sequence number in bits
    // 8-55, its status in bits 0-7. A tombstone: the next free slot in bits 64-87, the sequence number of the
    // slot's last job in bits 8-55, JobStatus.Closed in bits 0-7. A job id: the sequence number in bits 0-39 and
    // the slot index in bits 40-62, zero when the slot index equals the sequence number.
    uint256 private constant _SEQ_SHIFT = 8;
    uint256 private constant _SEQ_MASK = type(uint40).max;
    uint256 private constant _LOW_MASK = (1 << 56) - 1; // sequence number and status
    uint256 private constant _LINK_SHIFT = 64;
    uint256 private constant _SLOT_SHIFT = 40;
    /// @dev Slot numbers fit bits 40-62 of a job id, so ids stay below 2^63.
    uint256 private constant _MAX_SLOTS = (1 << 23) - 1;

    function _createJob(
        uint32 modelId,
        uint16 version,
        VerificationMode mode,
        uint256 maxFee,
        uint64 deadline,
        bytes calldata input
    ) private returns (uint256 jobId) {
        Job memory job = _admitJob(modelId, version, mode, maxFee, deadline);
        job.commitment = keccak256(input);
        uint256 seq = uint256(_jobCount) + 1;
        uint256 slotCount = _slotCount;
        uint256 slot = _freeHead;
        uint256 nextFree = 0;
        if (slot != 0) {
            nextFree = _jobs[slot] >> _LINK_SHIFT; // pop the free list
        } else {
            slot = ++slotCount; // a fresh slot
        }
        if (seq > _SEQ_MASK || slotCount > _MAX_SLOTS) revert JobCapacityReached();
        // One write of the hot slot.
        (_jobCount, _slotCount, _freeHead, _lastSlot) = (uint40(seq), uint24(slotCount), uint24(nextFree), uint24(slot));
        jobId = _jobIdOf(slot, seq);
        _jobs[slot] = _seal(jobId, job);
        _emitCreated(jobId, job, input);
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), maxFee);
    }

    function _emitCreated(uint256 jobId, Job memory job, bytes calldata input) private {
        emit JobCreated(
            jobId,
            job.requester,
            job.modelId,
            job.version,
            job.mode,
            job.fee,
            job.deadline,
            job.commitment,
            job.collateral,
            job.challengeWindow,
            job.royaltyOwner,
            job.royaltyBps,
            input
        );
    }

    /// @dev Checks a new job's terms: deadline within MAX_JOB_DURATION, fee fits uint96 and covers the
    ///      version's price, version live and supporting `mode`, a verifier set for TEE / ZK. Returns the Job as
    ///      created (Open, commitment not set) with the terms it pins: collateral under the current collateral
    ///      terms, the current challenge window, and the version's royalty recipient (its owner now) and bps.
    function _admitJob(uint32 modelId, uint16 version, VerificationMode mode, uint256 maxFee, uint64 deadline)
        private
        view
        returns (Job memory job)
    {
        uint64 latest = uint64(block.timestamp) + MAX_JOB_DURATION;
        // Deadlines and challenge ends are stored as uint32: a challenge end must never wrap (2106).
        if (latest > _LATEST_DEADLINE) latest = _LATEST_DEADLINE;
        if (deadline <= block.timestamp || deadline > latest) revert InvalidDeadline(deadline, latest);
        if (maxFee > type(uint96).max) revert FeeTooLarge(maxFee);
        (address owner, uint96 price, uint16 royaltyBps, uint8 modesMask, bool deprecated) =
            IModelRegistry(REGISTRY).jobTerms(modelId, version);
        if (deprecated) revert ModelVersionDeprecated(modelId, version);
        if (modesMask & (1 << uint8(mode)) == 0) revert ModeNotSupported(modelId, version, mode);
        if (maxFee < price) revert FeeBelowPrice(maxFee, price);
        if (mode != VerificationMode.Optimistic && _verifiers[mode] == address(0)) revert VerifierNotSet(mode);
        job.requester = msg.sender;
        job.fee = uint96(maxFee);
        job.modelId = modelId;
        job.version = version;
        job.status = JobStatus.Open;
        job.mode = mode;
        job.deadline = uint32(deadline);
        job.collateral = uint96(_collateralFor(maxFee)); // <= fee * MAX_COLLATERAL_RATIO_BPS / BPS or a uint96
        job.challengeWindow = _challengeWindow;
        job.royaltyOwner = owner;
        job.royaltyBps = royaltyBps;
    }

    /// @dev Settles a job whose result stands: closes it, counts the fee as settled, releases the collateral
    ///      and credits the fee split (royalty to the recipient pinned at creation).
    function _settle(uint256 slot, uint256 jobId, Job calldata job) private {
        uint256 fee = job.fee;
        address provider = job.provider;
        _close(slot, jobId, fee);
        emit JobFinalized(jobId, provider, fee);
        IProviderStaking(STAKING).releaseCollateral(provider, job.collateral);
        IRewardSettlement(SETTLEMENT).creditFee(provider, job.royaltyOwner, job.royaltyBps, fee);
    }

    /// @dev A challenge of `job` is admissible: window open, `commitment` (from the challenger's hashes) is the
    ///      job's, a verifier is set for its mode (returned).
    function _challengeVerifier(uint256 jobId, Job calldata job, bytes32 commitment) private view returns (address) {
        uint32 challengeEnd = job.deadline;
        if (block.timestamp > challengeEnd) revert ChallengeWindowClosed(jobId, challengeEnd);
        if (commitment != job.commitment) revert CommitmentMismatch(jobId, job.commitment);
        VerificationMode mode = job.mode;
        address verifier_ = _verifiers[mode];
        if (verifier_ == address(0)) revert VerifierNotSet(mode);
        return verifier_;
    }

    /// @dev Upheld challenge: the provider's whole collateral is slashed (challenger rewarded by staking's
    ///      slash split), the requester refunded in full, the challenger's bond returned, the job closed.
    function _upholdChallenge(uint256 slot, uint256 jobId, Job calldata job, uint256 bond) private {
        address requester = job.requester;
        uint256 fee = job.fee;
        uint256 collateral = job.collateral;
        _close(slot, jobId, 0);
        uint256 reward = IProviderStaking(STAKING).slashCollateral(job.provider, collateral, msg.sender);
        emit ChallengeUpheld(jobId, msg.sender, collateral, reward, fee);
        IERC20(OPG).safeTransfer(requester, fee);
        IERC20(OPG).safeTransfer(msg.sender, bond);
    }

    /// @dev Rejected challenge: the bond stays here as a settled amount owed to the provider (pulled from
    ///      RewardSettlement); the job stays Submitted.
    function _rejectChallenge(uint256 jobId, address provider, uint256 bond) private {
        _settledUnswept += uint96(bond); // bond <= uint96 max; the sum stays backed by held tokens
        emit ChallengeRejected(jobId, msg.sender, bond);
        IRewardSettlement(SETTLEMENT).creditBalance(provider, bond);
    }

    /// @dev Closes the job in `slot`: leaves its tombstone (sequence number, Closed, the old free-list head) and
    ///      makes the slot the free-list head; counts `settled` wei (a finalized fee) as owed to the settlement.
    function _close(uint256 slot, uint256 jobId, uint256 settled) private {
        _jobs[slot] = (uint256(_freeHead) << _LINK_SHIFT) | ((jobId & _SEQ_MASK) << _SEQ_SHIFT)
            | uint256(JobStatus.Closed);
        (_freeHead, _settledUnswept) = (uint24(slot), _settledUnswept + uint96(settled));
    }

    /// @dev The single guard of the state machine: job `jobId` must be live in its slot with one of the
    ///      statuses in `allowed` (else InvalidJobStatus, as a racing caller expects) and `job` must be its
    ///      current struct (else JobMismatch), so `job.status` is that status. Returns the job's slot.
    function _requireJob(uint256 jobId, Job calldata job, uint256 allowed) private view returns (uint256 slot) {
        slot = _slotOf(jobId);
        uint256 stored = _jobs[slot];
        // The slot holds this job iff the sequence numbers match (a later job may have recycled it).
        if (((stored >> _SEQ_SHIFT) & _SEQ_MASK) != jobId & _SEQ_MASK || (1 << (stored & 0xff)) & allowed == 0) {
            revert InvalidJobStatus(jobId, _statusOf(jobId));
        }
        if (stored != _sealCalldata(jobId, job)) revert JobMismatch(jobId);
    }

    /// @dev Status of job `jobId`: Closed once the job ended (its tombstone, or a later job in its recycled slot).
    ///      An id the escrow never issued reads None, or Closed when it names a used slot with another job's
    ///      sequence number (storage cannot tell it from a job that lived there).
    function _statusOf(uint256 jobId) private view returns (JobStatus) {
        uint256 seq = jobId & _SEQ_MASK;
        uint256 slot = jobId >> _SLOT_SHIFT;
        if (seq == 0 || seq > _jobCount || slot == seq || slot > _slotCount) return JobStatus.None;
        if (slot == 0) slot = seq;
        uint256 stored = _jobs[slot];
        if (stored == 0) return JobStatus.None;
        if ((stored >> _SEQ_SHIFT) & _SEQ_MASK != seq) return JobStatus.Closed;
        return JobStatus(uint8(stored));
    }

    /// @dev Slot index of job `jobId` (an id the escrow did not issue maps to a slot whose word does not match it).
    function _slotOf(uint256 jobId) private pure returns (uint256) {
        uint256 slot = jobId >> _SLOT_SHIFT;
        return slot == 0 ? jobId : slot;
    }

    /// @dev Id of the job with sequence number `seq` in slot `slot`.
    function _jobIdOf(uint256 slot, uint256 seq) private pure returns (uint256) {
        return slot == seq ? seq : (slot << _SLOT_SHIFT) | seq;
    }

    /// @dev The seal of `job` as job `jobId`.
    function _seal(uint256 jobId, Job memory job) private pure returns (uint256) {
        return _withLowBits(uint256(keccak256(abi.encode(jobId, job))), jobId, uint256(job.status));
    }

    function _withLowBits(uint256 digest, uint256 jobId, uint256 status) private pure returns (uint256) {
        return (digest & ~_LOW_MASK) | ((jobId & _SEQ_MASK) << _SEQ_SHIFT) | status;
    }

    // The calldata seals below hash jobId and the struct's words as they are (Job is static: its calldata
    // encoding is abi.encode(job)), without decoding it into memory. A word with dirty high bits hashes
    // differently from the clean encoding `_seal` stored, so it fails the JobMismatch check; the status byte is
    // masked.
    uint256 private constant _JOB_WORDS_SIZE = 13 * 32;
    uint256 private constant _PREIMAGE_SIZE = 14 * 32; // jobId + the struct
    // Offsets in the preimage (jobId first, then the struct).
    uint256 private constant _PROVIDER_OFFSET = 3 * 32;
    uint256 private constant _STATUS_OFFSET = 6 * 32;
    uint256 private constant _DEADLINE_OFFSET = 8 * 32;
    uint256 private constant _COMMITMENT_OFFSET = 9 * 32;
    uint256 private constant _STATUS_IN_STRUCT = 5 * 32;

    /// @dev `_seal(jobId, job)` of a calldata struct.
    function _sealCalldata(uint256 jobId, Job calldata job) private pure returns (uint256) {
        uint256 digest;
        uint256 status;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, jobId)
            calldatacopy(add(ptr, 32), job, _JOB_WORDS_SIZE)
            status := and(calldataload(add(job, _STATUS_IN_STRUCT)), 0xff)
            digest := keccak256(ptr, _PREIMAGE_SIZE)
        }
        return _withLowBits(digest, jobId, status);
    }

    /// @dev `_seal` of `job` claimed by `provider`.
    function _resealClaimed(uint256 jobId, Job calldata job, address provider) private pure returns (uint256) {
        uint256 status = uint256(JobStatus.Claimed);
        uint256 digest;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, jobId)
            calldatacopy(add(ptr, 32), job, _JOB_WORDS_SIZE)
            mstore(add(ptr, _PROVIDER_OFFSET), provider)
            mstore(add(ptr, _STATUS_OFFSET), status)
            digest := keccak256(ptr, _PREIMAGE_SIZE)
        }
        return _withLowBits(digest, jobId, status);
    }

    /// @dev `_seal` of optimistic `job` after its result: Submitted, challenge end as deadline, result commitment.
    function _resealSubmitted(uint256 jobId, Job calldata job, uint64 challengeEnd, bytes32 commitment)
        private
        pure
        returns (uint256)
    {
        uint256 status = uint256(JobStatus.Submitted);
        uint32 deadline = uint32(challengeEnd);
        uint256 digest;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, jobId)
            calldatacopy(add(ptr, 32), job, _JOB_WORDS_SIZE)
            mstore(add(ptr, _STATUS_OFFSET), status)
            mstore(add(ptr, _DEADLINE_OFFSET), deadline)
            mstore(add(ptr, _COMMITMENT_OFFSET), commitment)
            digest := keccak256(ptr, _PREIMAGE_SIZE)
        }
        return _withLowBits(digest, jobId, status);
    }

    /// @dev Collateral (wei) of a new job with fee `fee` under the current collateral terms.
    function _collateralFor(uint256 fee) private view returns (uint256) {
        uint256 collateral = (fee * _collateralRatioBps) / BPS;
        uint256 minCollateral = _minCollateral;
        return collateral > minCollateral ? collateral : minCollateral;
    }

    function _context(uint256 jobId, Job calldata job, bytes32 inputHash, bytes32 outputHash, bytes32 traceRoot)
        private
        pure
        returns (IJobVerifier.JobContext memory)
    {
        return IJobVerifier.JobContext({
            jobId: jobId,
            requester: job.requester,
            provider: job.provider,
            modelId: job.modelId,
            version: job.version,
            mode: job.mode,
            fee: job.fee,
            inputHash: inputHash,
            outputHash: outputHash,
            traceRoot: traceRoot
        });
    }

    function _commit(bytes32 inputHash, bytes32 outputHash, bytes32 traceRoot) private pure returns (bytes32) {
        return keccak256(abi.encode(inputHash, outputHash, traceRoot));
    }

    function _setCollateralTerms(uint16 ratioBps, uint256 minCollateral) private {
        if (ratioBps > MAX_COLLATERAL_RATIO_BPS || minCollateral > type(uint96).max) {
            revert InvalidCollateralTerms(ratioBps, minCollateral);
        }
        (_collateralRatioBps, _minCollateral) = (ratioBps, uint96(minCollateral));
        emit CollateralTermsUpdated(ratioBps, minCollateral);
    }

    function _setChallengeWindow(uint64 window) private {
        if (window < MIN_CHALLENGE_WINDOW || window > MAX_CHALLENGE_WINDOW) revert InvalidChallengeWindow(window);
        _challengeWindow = uint32(window);
        emit ChallengeWindowUpdated(window);
    }

    function _setChallengeBond(uint256 bond) private {
        if (bond > type(uint96).max) revert InvalidChallengeBond(bond);
        _challengeBond = uint96(bond);
        emit ChallengeBondUpdated(bond);
    }
}
