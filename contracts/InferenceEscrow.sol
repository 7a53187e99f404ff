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
///      - a job is ONE slot: keccak256(abi.encode(job)) with its low byte replaced by the job's status
///        (`_seal`). Callers pass the Job struct as calldata (rebuilt off-chain from the job's events);
///        every transition checks it against the stored hash (JobMismatch), then writes the new hash
///        (nonzero -> nonzero) or deletes the slot when the job closes. `deadline` is reused for the end of
///        the challenge window after submit; `commitment` is keccak256(input) until an optimistic submit,
///        then keccak256(abi.encode(inputHash, outputHash, traceRoot)). Input / output bytes live in
///        events only; the events carry every field needed to rebuild the struct at each stage.
///      - fees are not transferred at finalize: they stay here, counted in settledUnswept (cumulative
///        settled minus cumulative swept, so the counters never return to zero), and RewardSettlement
///        pulls them in one transfer when paying claims.
///      - the job counter and the hot configuration pack with Pausable's flag into one slot.
///      - a version's royalty terms (owner, royaltyBps) are copied from the registry at job creation into
///        one slot per version (a no-op rewrite in steady state) and read from there at settlement, which
///        saves a registry call on finalize. The royalty goes to the model owner of record: the owner as of
///        the latest job created on that version.
///      Collateral terms are snapshotted per job by id: a change applies to jobs created afterwards, and
///      older jobs find their terms in `_pastTerms` (binary search over governance changes; never on the
///      hot path of a job created under the current terms).
contract InferenceEscrow is IInferenceEscrow, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Collateral terms of the jobs created before `untilJobId` (and after the previous entry's).
    struct PastTerms {
        uint48 untilJobId;
        uint16 ratioBps;
        uint96 minCollateral;
    }

    /// @dev Royalty recipient of record and royalty (bps) of a model version, refreshed at every job creation
    ///      from the registry, read at settlement (saves a registry call on the hot path).
    struct RoyaltyTerms {
        address owner;
        uint16 royaltyBps;
    }

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

    // One slot with Pausable's `_paused` (8 bits): 8 + 48 + 16 + 96 + 32 + 48 = 248 bits.
    uint48 private _jobCount;
    uint16 private _collateralRatioBps;
    uint96 private _minCollateral; // wei
    uint32 private _challengeWindow; // seconds
    uint48 private _termsSinceJobId; // first job id the current collateral terms apply to

    // One slot: settledUnswept = _totalSettled - _totalSwept (wei; cumulative, never back to zero).
    uint128 private _totalSettled;
    uint128 private _totalSwept;

    uint96 private _challengeBond; // wei

    mapping(VerificationMode mode => address) private _verifiers;
    PastTerms[] private _pastTerms;
    mapping(uint32 modelId => mapping(uint16 version => RoyaltyTerms)) private _royaltyTerms;
    /// @dev keccak256(abi.encode(job)) with the low byte replaced by job.status; zero when absent or closed.
    mapping(uint256 jobId => bytes32 seal) private _jobs;

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
        _requireJob(jobId, job, _OPEN);
        address requester = job.requester;
        if (msg.sender != requester) revert NotRequester(jobId, msg.sender);
        uint256 fee = job.fee;
        delete _jobs[jobId];
        emit JobCancelled(jobId, requester, fee);
        IERC20(OPG).safeTransfer(requester, fee);
    }

    // ---------------------------------------------------------------------------------------------
    // Provider
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function claimJob(uint256 jobId, Job calldata job) external nonReentrant {
        _requireJob(jobId, job, _OPEN);
        uint32 deadline = job.deadline;
        if (block.timestamp > deadline) revert DeadlinePassed(jobId, deadline);
        uint256 collateral = _collateralFor(jobId, job.fee);
        _jobs[jobId] = _resealClaimed(job, msg.sender);
        emit JobClaimed(jobId, msg.sender, collateral, deadline);
        // Reverts NotServingModel / StakeTooLow / InsufficientFreeStake for an ineligible provider.
        IProviderStaking(STAKING).lockCollateral(msg.sender, job.modelId, collateral);
    }

    /// @inheritdoc IInferenceEscrow
    function submitResult(uint256 jobId, Job calldata job, bytes calldata output, bytes calldata proof)
        external
        nonReentrant
    {
        _requireJob(jobId, job, _CLAIMED);
        if (msg.sender != job.provider) revert NotProvider(jobId, msg.sender);
        uint32 deadline = job.deadline;
        if (block.timestamp > deadline) revert DeadlinePassed(jobId, deadline);
        bytes32 outputHash = keccak256(output);
        VerificationMode mode = job.mode;
        if (mode == VerificationMode.Optimistic) {
            if (proof.length != 32) revert InvalidTraceRoot(jobId, proof.length);
            bytes32 traceRoot = bytes32(proof);
            uint64 challengeEnd = uint64(block.timestamp) + _challengeWindow;
            _jobs[jobId] = _resealSubmitted(job, challengeEnd, _commit(job.commitment, outputHash, traceRoot));
            emit ResultSubmitted(jobId, msg.sender, outputHash, traceRoot, challengeEnd, output);
        } else {
            // TEE / ZK: the proof is checked now and the job settles at once.
            address verifier_ = _verifiers[mode];
            if (verifier_ == address(0)) revert VerifierNotSet(mode);
            IJobVerifier.JobContext memory context = _context(jobId, job, job.commitment, outputHash, bytes32(0));
            if (!IJobVerifier(verifier_).verifyResult(context, proof)) revert ProofRejected(jobId);
            emit ResultSubmitted(jobId, msg.sender, outputHash, bytes32(0), uint64(block.timestamp), output);
            _settle(jobId, job);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function finalizeJob(uint256 jobId, Job calldata job) external nonReentrant {
        _requireJob(jobId, job, _SUBMITTED);
        uint32 challengeEnd = job.deadline;
        if (block.timestamp <= challengeEnd) revert ChallengeWindowOpen(jobId, challengeEnd);
        _settle(jobId, job);
    }

    /// @inheritdoc IInferenceEscrow
    function expireJob(uint256 jobId, Job calldata job) external nonReentrant {
        _requireJob(jobId, job, _OPEN | _CLAIMED);
        JobStatus status = job.status;
        uint32 deadline = job.deadline;
        if (block.timestamp <= deadline) revert DeadlineNotPassed(jobId, deadline);
        address requester = job.requester;
        uint256 fee = job.fee;
        address provider = job.provider;
        uint256 collateral = status == JobStatus.Claimed ? _collateralFor(jobId, fee) : 0;
        delete _jobs[jobId];
        uint256 bounty = 0;
        if (status == JobStatus.Claimed) {
            // The caller's bounty is the staking slash reward; the rest of the slash is burned / treasury.
            bounty = IProviderStaking(STAKING).slashCollateral(provider, collateral, msg.sender);
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
        _requireJob(jobId, job, _SUBMITTED);
        uint32 challengeEnd = job.deadline;
        if (block.timestamp > challengeEnd) revert ChallengeWindowClosed(jobId, challengeEnd);
        bytes32 commitment = job.commitment;
        if (_commit(inputHash, outputHash, traceRoot) != commitment) revert CommitmentMismatch(jobId, commitment);
        VerificationMode mode = job.mode;
        address verifier_ = _verifiers[mode];
        if (verifier_ == address(0)) revert VerifierNotSet(mode);
        uint256 bond = _challengeBond;
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), bond);

        IJobVerifier.JobContext memory context = _context(jobId, job, inputHash, outputHash, traceRoot);
        bool providerAtFault = IJobVerifier(verifier_).judgeChallenge(context, msg.sender, evidence);

        if (providerAtFault) _upholdChallenge(jobId, job, bond);
        else _rejectChallenge(jobId, job.provider, bond);
    }

    // ---------------------------------------------------------------------------------------------
    // RewardSettlement
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceEscrow
    function sweepSettled() external nonReentrant returns (uint256 amount) {
        if (msg.sender != SETTLEMENT) revert NotSettlement(msg.sender);
        uint128 settled = _totalSettled;
        amount = settled - _totalSwept;
        if (amount != 0) {
            _totalSwept = settled;
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
        return _jobs[jobId];
    }

    /// @inheritdoc IInferenceEscrow
    function jobStatus(uint256 jobId) external view returns (JobStatus) {
        return _reportedStatus(jobId, _statusOf(_jobs[jobId]));
    }

    /// @inheritdoc IInferenceEscrow
    function sealJob(Job calldata job) external pure returns (bytes32) {
        return _sealCalldata(job);
    }

    /// @inheritdoc IInferenceEscrow
    function collateralFor(uint256 jobId, uint256 fee) external view returns (uint256) {
        return _collateralFor(jobId, fee);
    }

    /// @inheritdoc IInferenceEscrow
    function collateralTerms() external view returns (uint16 ratioBps, uint256 minCollateral, uint256 sinceJobId) {
        return (_collateralRatioBps, _minCollateral, _termsSinceJobId);
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
        return _totalSettled - _totalSwept;
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

    function _createJob(
        uint32 modelId,
        uint16 version,
        VerificationMode mode,
        uint256 maxFee,
        uint64 deadline,
        bytes calldata input
    ) private returns (uint256 jobId) {
        _admitJob(modelId, version, mode, maxFee, deadline);
        jobId = ++_jobCount;
        bytes32 inputHash = keccak256(input);
        _jobs[jobId] = _seal(Job({
            requester: msg.sender,
            fee: uint96(maxFee),
            provider: address(0),
            modelId: modelId,
            version: version,
            status: JobStatus.Open,
            mode: mode,
            deadline: uint32(deadline),
            commitment: inputHash
        }));
        emit JobCreated(jobId, msg.sender, modelId, version, mode, maxFee, deadline, inputHash, input);
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), maxFee);
    }

    /// @dev Checks a new job's terms: deadline within MAX_JOB_DURATION, fee fits uint96 and covers the
    ///      version's price, version live and supporting `mode`, a verifier set for TEE / ZK. Refreshes the
    ///      version's royalty terms of record (a no-op write in steady state).
    function _admitJob(uint32 modelId, uint16 version, VerificationMode mode, uint256 maxFee, uint64 deadline)
        private
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
        RoyaltyTerms storage terms = _royaltyTerms[modelId][version];
        if (terms.owner != owner || terms.royaltyBps != royaltyBps) {
            _royaltyTerms[modelId][version] = RoyaltyTerms({owner: owner, royaltyBps: royaltyBps});
        }
    }

    /// @dev Settles a job whose result stands: deletes its slot (gas refund), counts the fee as settled,
    ///      releases the collateral and credits the fee split.
    function _settle(uint256 jobId, Job calldata job) private {
        uint256 fee = job.fee;
        address provider = job.provider;
        uint32 modelId = job.modelId;
        uint16 version = job.version;
        uint256 collateral = _collateralFor(jobId, fee);
        delete _jobs[jobId];
        _totalSettled += uint128(fee);
        emit JobFinalized(jobId, provider, fee);
        RoyaltyTerms memory royalty = _royaltyTerms[modelId][version];
        IProviderStaking(STAKING).releaseCollateral(provider, collateral);
        IRewardSettlement(SETTLEMENT).creditFee(provider, royalty.owner, royalty.royaltyBps, fee);
    }

    /// @dev Upheld challenge: the provider's whole collateral is slashed (challenger rewarded by staking's
    ///      slash split), the requester refunded in full, the challenger's bond returned, the job deleted.
    function _upholdChallenge(uint256 jobId, Job calldata job, uint256 bond) private {
        address requester = job.requester;
        address provider = job.provider;
        uint256 fee = job.fee;
        uint256 collateral = _collateralFor(jobId, fee);
        delete _jobs[jobId];
        uint256 reward = IProviderStaking(STAKING).slashCollateral(provider, collateral, msg.sender);
        emit ChallengeUpheld(jobId, msg.sender, collateral, reward, fee);
        IERC20(OPG).safeTransfer(requester, fee);
        IERC20(OPG).safeTransfer(msg.sender, bond);
    }

    /// @dev Rejected challenge: the bond stays here as a settled amount owed to the provider (pulled from
    ///      RewardSettlement); the job stays Submitted.
    function _rejectChallenge(uint256 jobId, address provider, uint256 bond) private {
        _totalSettled += uint128(bond);
        emit ChallengeRejected(jobId, msg.sender, bond);
        IRewardSettlement(SETTLEMENT).creditBalance(provider, bond);
    }

    /// @dev The single guard of the state machine: the stored status of job `jobId` (the seal's low byte; None /
    ///      Closed once deleted) must be one of the bits of `allowed` (else InvalidJobStatus, as a racing caller
    ///      expects), and `job` must be its current struct (else JobMismatch), so `job.status` is that status.
    function _requireJob(uint256 jobId, Job calldata job, uint256 allowed) private view {
        bytes32 stored = _jobs[jobId];
        JobStatus status = _statusOf(stored);
        if ((1 << uint256(status)) & allowed == 0) revert InvalidJobStatus(jobId, _reportedStatus(jobId, status));
        if (stored != _sealCalldata(job)) revert JobMismatch(jobId);
    }

    /// @dev keccak256(abi.encode(job)) with its low byte replaced by job.status (never zero: status >= Open).
    function _seal(Job memory job) private pure returns (bytes32) {
        return (keccak256(abi.encode(job)) & ~bytes32(uint256(0xff))) | bytes32(uint256(job.status));
    }

    // The calldata seals below hash the struct's 9 words as they are (Job is static: its calldata encoding is
    // abi.encode(job)), without decoding it into memory. A word with dirty high bits hashes differently from
    // the clean encoding `_seal` stored, so it fails the JobMismatch check; the status byte is masked.
    uint256 private constant _JOB_WORDS_SIZE = 9 * 32;
    uint256 private constant _PROVIDER_OFFSET = 2 * 32;
    uint256 private constant _STATUS_OFFSET = 5 * 32;
    uint256 private constant _DEADLINE_OFFSET = 7 * 32;
    uint256 private constant _COMMITMENT_OFFSET = 8 * 32;

    /// @dev `_seal(job)` of a calldata struct.
    function _sealCalldata(Job calldata job) private pure returns (bytes32 seal) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, job, _JOB_WORDS_SIZE)
            let status := and(calldataload(add(job, _STATUS_OFFSET)), 0xff)
            seal := or(and(keccak256(ptr, _JOB_WORDS_SIZE), not(0xff)), status)
        }
    }

    /// @dev `_seal` of `job` claimed by `provider`.
    function _resealClaimed(Job calldata job, address provider) private pure returns (bytes32 seal) {
        uint256 status = uint256(JobStatus.Claimed);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, job, _JOB_WORDS_SIZE)
            mstore(add(ptr, _PROVIDER_OFFSET), provider)
            mstore(add(ptr, _STATUS_OFFSET), status)
            seal := or(and(keccak256(ptr, _JOB_WORDS_SIZE), not(0xff)), status)
        }
    }

    /// @dev `_seal` of optimistic `job` after its result: Submitted, challenge end as deadline, result commitment.
    function _resealSubmitted(Job calldata job, uint64 challengeEnd, bytes32 commitment)
        private
        pure
        returns (bytes32 seal)
    {
        uint256 status = uint256(JobStatus.Submitted);
        uint32 deadline = uint32(challengeEnd);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, job, _JOB_WORDS_SIZE)
            mstore(add(ptr, _STATUS_OFFSET), status)
            mstore(add(ptr, _DEADLINE_OFFSET), deadline)
            mstore(add(ptr, _COMMITMENT_OFFSET), commitment)
            seal := or(and(keccak256(ptr, _JOB_WORDS_SIZE), not(0xff)), status)
        }
    }

    function _statusOf(bytes32 seal) private pure returns (JobStatus) {
        return JobStatus(uint8(uint256(seal)));
    }

    function _reportedStatus(uint256 jobId, JobStatus stored) private view returns (JobStatus) {
        if (stored != JobStatus.None || jobId == 0 || jobId > _jobCount) return stored;
        return JobStatus.Closed; // existed, deleted when it closed
    }

    /// @dev Collateral of job `jobId` with fee `fee` under the terms in force when it was created.
    function _collateralFor(uint256 jobId, uint256 fee) private view returns (uint256) {
        uint256 ratioBps;
        uint256 minCollateral;
        if (jobId >= _termsSinceJobId) {
            (ratioBps, minCollateral) = (_collateralRatioBps, _minCollateral);
        } else {
            PastTerms memory terms = _pastTermsOf(jobId);
            (ratioBps, minCollateral) = (terms.ratioBps, terms.minCollateral);
        }
        uint256 collateral = (fee * ratioBps) / BPS;
        return collateral > minCollateral ? collateral : minCollateral;
    }

    /// @dev First past-terms entry with untilJobId > jobId (exists: the last one ends at _termsSinceJobId).
    ///      Binary search over governance changes only.
    function _pastTermsOf(uint256 jobId) private view returns (PastTerms memory) {
        uint256 low = 0;
        uint256 high = _pastTerms.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (_pastTerms[mid].untilJobId > jobId) high = mid;
            else low = mid + 1;
        }
        return _pastTerms[low];
    }

    function _context(uint256 jobId, Job calldata job, bytes32 inputHash, bytes32 outputHash, bytes32 traceRoot)
        private
        view
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
        uint48 since = _jobCount + 1;
        if (since > 1) {
            _pastTerms.push(
                PastTerms({untilJobId: since, ratioBps: _collateralRatioBps, minCollateral: _minCollateral})
            );
        }
        (_collateralRatioBps, _minCollateral, _termsSinceJobId) = (ratioBps, uint96(minCollateral), since);
        emit CollateralTermsUpdated(ratioBps, minCollateral, since);
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
