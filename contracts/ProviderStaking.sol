// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IOPGToken} from "./interfaces/IOPGToken.sol";
import {IProviderStaking} from "./interfaces/IProviderStaking.sol";

/// @title ProviderStaking
/// @notice Provider stake, served models, a timed unbonding lock, per-job collateral and slashing.
/// @dev Storage layout is chosen for the job hot path: a provider's active stake and locked collateral share
///      ONE slot, so lockCollateral / releaseCollateral read and write a single provider slot. The unbonding
///      position (one per provider, aggregated) lives in a second slot touched only by unbond / withdraw /
///      slash. No function loops.
///
///      Events: every state change of this contract's own making (stake, unbond, withdraw, serve, slash,
///      governance) emits its event. lockCollateral / releaseCollateral do not: they are one half of a job
///      manager's transition, whose single event already carries the provider and the amount (the escrow's
///      JobClaimed(jobId, provider, collateral, deadline) for a lock; its JobFinalized for the release of the
///      same job's collateral), so a second log would only repeat it at ~1.7k gas per job-lifecycle
///      transaction. A job manager must emit, in the event of every transition that locks or releases
///      collateral, the amount and the provider (directly or by the job / batch id whose event named it):
///      the escrow's JobClaimed / JobFinalized, BatchSettlement's BatchPosted / BatchClosed.
///      `stakeOf(provider).locked` is the on-chain source of truth.
///
///      Slash payouts are pushed (SafeERC20 transfer to beneficiary and treasury, burn of OPG held here)
///      rather than credited for a later pull: OPG is a plain OpenZeppelin ERC-20 without transfer hooks
///      or blocklists, so a recipient cannot block or re-enter a slash; value-moving functions are
///      nonReentrant all the same.
contract ProviderStaking is IProviderStaking, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Active stake (includes locked) and locked collateral of one provider, in wei: one slot.
    struct ProviderStake {
        uint96 active;
        uint96 locked;
    }

    /// @dev The provider's single aggregated unbonding position: amount (wei) and unlock time (unix s).
    struct UnbondingLock {
        uint96 amount;
        uint64 unlockAt;
    }

    /// @inheritdoc IProviderStaking
    bytes32 public constant JOB_MANAGER_ROLE = keccak256("JOB_MANAGER_ROLE");
    /// @inheritdoc IProviderStaking
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @inheritdoc IProviderStaking
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @inheritdoc IProviderStaking
    uint256 public constant MAX_MIN_STAKE = 10_000_000e18; // 1% of the OPG cap
    /// @inheritdoc IProviderStaking
    uint64 public constant MIN_UNBONDING_DELAY = 1 days;
    /// @inheritdoc IProviderStaking
    uint64 public constant MAX_UNBONDING_DELAY = 90 days;
    /// @inheritdoc IProviderStaking
    uint16 public constant MAX_SLASH_REWARD_BPS = 5_000;
    /// @inheritdoc IProviderStaking
    uint16 public constant MAX_SLASH_BURN_BPS = 10_000;

    /// @dev Slash split at deployment: 25% to the beneficiary, then half of the rest burned, half to treasury.
    uint16 private constant DEFAULT_SLASH_REWARD_BPS = 2_500;
    uint16 private constant DEFAULT_SLASH_BURN_BPS = 5_000;
    uint256 private constant BPS = 10_000;

    /// @inheritdoc IProviderStaking
    address public immutable OPG;
    /// @inheritdoc IProviderStaking
    address public immutable REGISTRY;

    // Packs with Pausable's `_paused`: stake() reads pause flag and minimum from one slot.
    uint96 private _minStake; // wei
    uint64 private _unbondingDelay; // seconds
    // One slot for what a slash reads.
    address private _treasury;
    uint16 private _slashRewardBps;
    uint16 private _slashBurnBps;

    uint256 private _totalStaked; // wei: sum of active + unbonding over all providers

    mapping(address provider => ProviderStake) private _stakes;
    mapping(address provider => UnbondingLock) private _unbonding;
    mapping(address provider => mapping(uint32 modelId => bool)) private _serving;

    /// @param opg The OPG token (ERC-20 + permit + burn).
    /// @param registry The ModelRegistry (serveModel checks `modelExists`).
    /// @param admin Governance: receives DEFAULT_ADMIN_ROLE (grants JOB_MANAGER / SLASHER / PAUSER roles).
    /// @param treasury_ Receives the non-rewarded, non-burned part of slashes.
    /// @param minStake_ Minimum active stake in wei, in [1, MAX_MIN_STAKE].
    /// @param unbondingDelay_ Unbonding delay in seconds, in [MIN_UNBONDING_DELAY, MAX_UNBONDING_DELAY].
    constructor(
        address opg,
        address registry,
        address admin,
        address treasury_,
        uint256 minStake_,
        uint64 unbondingDelay_
    ) {
        if (opg == address(0) || registry == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        OPG = opg;
        REGISTRY = registry;
        _setMinStake(minStake_);
        _setUnbondingDelay(unbondingDelay_);
        _treasury = treasury_;
        emit TreasuryUpdated(address(0), treasury_);
        _setSlashSplit(DEFAULT_SLASH_REWARD_BPS, DEFAULT_SLASH_BURN_BPS);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------------------------------------
    // Provider actions
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IProviderStaking
    function stake(uint256 amount) external whenNotPaused nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IProviderStaking
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        whenNotPaused
        nonReentrant
    {
        // A front-run permit makes this call fail although the allowance is set; transferFrom decides.
        try IERC20Permit(OPG).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IProviderStaking
    function serveModel(uint32 modelId) external {
        if (_serving[msg.sender][modelId]) revert AlreadyServingModel(msg.sender, modelId);
        // The registry reverts UnknownModel(modelId); a `false` answer is treated the same way.
        if (!IModelRegistry(REGISTRY).modelExists(modelId)) revert ModelNotFound(modelId);
        _serving[msg.sender][modelId] = true;
        emit ModelServed(msg.sender, modelId);
    }

    /// @inheritdoc IProviderStaking
    function stopServing(uint32 modelId) external {
        if (!_serving[msg.sender][modelId]) revert NotServingModel(msg.sender, modelId);
        delete _serving[msg.sender][modelId];
        emit ModelServingStopped(msg.sender, modelId);
    }

    /// @inheritdoc IProviderStaking
    function unbond(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        ProviderStake memory s = _stakes[msg.sender];
        uint256 free = s.active - s.locked;
        if (amount > free) revert InsufficientFreeStake(msg.sender, free, amount);
        uint256 remaining = s.active - amount;
        uint256 need = _minStake;
        if (remaining != 0 && remaining < need) revert RemainingStakeTooLow(msg.sender, remaining, need);

        // amount <= free <= active < 2^96, and active + unbonding <= totalStaked <= OPG supply < 2^96.
        _stakes[msg.sender] = ProviderStake({active: uint96(remaining), locked: s.locked});
        UnbondingLock storage u = _unbonding[msg.sender];
        uint96 unbondingTotal = u.amount + uint96(amount);
        uint64 unlockAt = uint64(block.timestamp) + _unbondingDelay; // restarts the clock for the whole position
        u.amount = unbondingTotal;
        u.unlockAt = unlockAt;
        emit Unbonded(msg.sender, amount, remaining, unbondingTotal, unlockAt);
    }

    /// @inheritdoc IProviderStaking
    function withdraw() external nonReentrant returns (uint256 amount) {
        UnbondingLock memory u = _unbonding[msg.sender];
        if (u.amount == 0) revert NothingToWithdraw(msg.sender);
        if (block.timestamp < u.unlockAt) revert UnbondingLocked(msg.sender, u.unlockAt);
        amount = u.amount;
        delete _unbonding[msg.sender];
        _totalStaked -= amount;
        emit Withdrawn(msg.sender, amount);
        IERC20(OPG).safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Escrow and verifiers
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IProviderStaking
    function lockCollateral(address provider, uint32 modelId, uint256 amount)
        external
        onlyRole(JOB_MANAGER_ROLE)
    {
        if (!_serving[provider][modelId]) revert NotServingModel(provider, modelId);
        ProviderStake storage s = _stakes[provider];
        uint256 active = s.active;
        uint256 locked = s.locked;
        uint256 need = _minStake;
        if (active < need) revert StakeTooLow(provider, active, need);
        uint256 free = active - locked;
        if (amount > free) revert InsufficientFreeStake(provider, free, amount);
        s.locked = uint96(locked + amount); // locked + amount <= active < 2^96
    }

    /// @inheritdoc IProviderStaking
    function releaseCollateral(address provider, uint256 amount) external onlyRole(JOB_MANAGER_ROLE) {
        ProviderStake storage s = _stakes[provider];
        uint256 locked = s.locked;
        if (amount > locked) revert InsufficientCollateral(provider, locked, amount);
        s.locked = uint96(locked - amount);
    }

    /// @inheritdoc IProviderStaking
    function slashCollateral(address provider, uint256 amount, address beneficiary)
        external
        onlyRole(JOB_MANAGER_ROLE)
        nonReentrant
        returns (uint256 rewarded)
    {
        // Locked collateral is the job manager's to release or slash, job by job: anyone else taking it would
        // leave the manager unable to release / slash a job's collateral, so the job could never close.
        if (amount == 0) return 0;
        ProviderStake memory s = _stakes[provider];
        if (amount > s.locked) revert InsufficientCollateral(provider, s.locked, amount);
        // amount <= locked <= active.
        _stakes[provider] = ProviderStake({active: s.active - uint96(amount), locked: s.locked - uint96(amount)});
        rewarded = _distributeSlash(provider, amount, beneficiary);
    }

    /// @inheritdoc IProviderStaking
    function slash(address provider, uint256 amount, address beneficiary)
        external
        onlyRole(SLASHER_ROLE)
        nonReentrant
        returns (uint256 slashed, uint256 rewarded)
    {
        if (amount == 0) revert ZeroAmount();
        ProviderStake memory s = _stakes[provider];
        UnbondingLock memory u = _unbonding[provider];
        uint256 free = s.active - s.locked;
        uint256 fromActive = amount < free ? amount : free;
        uint256 rest = amount - fromActive;
        uint256 fromUnbonding = rest < u.amount ? rest : u.amount;
        slashed = fromActive + fromUnbonding;
        if (slashed == 0) revert NothingToSlash(provider);

        if (fromActive != 0) {
            _stakes[provider] = ProviderStake({active: s.active - uint96(fromActive), locked: s.locked});
        }
        if (fromUnbonding != 0) {
            if (fromUnbonding == u.amount) delete _unbonding[provider];
            else _unbonding[provider].amount = u.amount - uint96(fromUnbonding); // unlock time unchanged
        }
        rewarded = _distributeSlash(provider, slashed, beneficiary);
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IProviderStaking
    function setMinStake(uint256 newMinStake) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMinStake(newMinStake);
    }

    /// @inheritdoc IProviderStaking
    function setUnbondingDelay(uint64 newDelay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setUnbondingDelay(newDelay);
    }

    /// @inheritdoc IProviderStaking
    function setSlashSplit(uint16 rewardBps, uint16 burnBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSlashSplit(rewardBps, burnBps);
    }

    /// @inheritdoc IProviderStaking
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    /// @inheritdoc IProviderStaking
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IProviderStaking
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IProviderStaking
    function minStake() external view returns (uint256) {
        return _minStake;
    }

    /// @inheritdoc IProviderStaking
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @inheritdoc IProviderStaking
    function slashRewardBps() external view returns (uint16) {
        return _slashRewardBps;
    }

    /// @inheritdoc IProviderStaking
    function slashBurnBps() external view returns (uint16) {
        return _slashBurnBps;
    }

    /// @inheritdoc IProviderStaking
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IProviderStaking
    function stakeOf(address provider)
        external
        view
        returns (uint256 active, uint256 locked, uint256 unbonding, uint64 unlockAt)
    {
        ProviderStake memory s = _stakes[provider];
        UnbondingLock memory u = _unbonding[provider];
        return (s.active, s.locked, u.amount, u.unlockAt);
    }

    /// @inheritdoc IProviderStaking
    function freeStake(address provider) external view returns (uint256) {
        ProviderStake memory s = _stakes[provider];
        return s.active - s.locked;
    }

    /// @inheritdoc IProviderStaking
    function isServing(address provider, uint32 modelId) external view returns (bool) {
        return _serving[provider][modelId];
    }

    /// @inheritdoc IProviderStaking
    function isEligible(address provider, uint32 modelId, uint256 amount) external view returns (bool) {
        ProviderStake memory s = _stakes[provider];
        return _serving[provider][modelId] && s.active >= _minStake && amount <= s.active - s.locked;
    }

    /// @inheritdoc IProviderStaking
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    function _stake(address provider, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        uint256 active = _stakes[provider].active;
        uint256 newTotal = active + amount;
        if (active == 0) {
            uint256 need = _minStake;
            if (newTotal < need) revert StakeTooLow(provider, newTotal, need);
        }
        _stakes[provider].active = SafeCast.toUint96(newTotal);
        _totalStaked += amount;
        emit Staked(provider, amount, newTotal);
        IERC20(OPG).safeTransferFrom(provider, address(this), amount);
    }

    /// @dev Removes `amount` (already taken off the provider's position) from totalStaked and pays it out:
    ///      slashRewardBps to `beneficiary` (none if it is address(0) or this contract), slashBurnBps of the
    ///      rest burned, the remainder to the treasury.
    function _distributeSlash(address provider, uint256 amount, address beneficiary)
        private
        returns (uint256 rewarded)
    {
        _totalStaked -= amount;
        uint256 rewardBps = _slashRewardBps;
        uint256 burnBps = _slashBurnBps;
        address treasury_ = _treasury;
        if (beneficiary == address(this)) beneficiary = address(0);
        if (beneficiary != address(0)) rewarded = (amount * rewardBps) / BPS;
        uint256 rest = amount - rewarded;
        uint256 burned = (rest * burnBps) / BPS;
        uint256 toTreasury = rest - burned;
        emit Slashed(provider, amount, beneficiary, rewarded, burned, toTreasury);

        if (rewarded != 0) IERC20(OPG).safeTransfer(beneficiary, rewarded);
        if (burned != 0) IOPGToken(OPG).burn(burned);
        if (toTreasury != 0) IERC20(OPG).safeTransfer(treasury_, toTreasury);
    }

    function _setMinStake(uint256 newMinStake) private {
        if (newMinStake == 0 || newMinStake > MAX_MIN_STAKE) revert InvalidMinStake(newMinStake);
        emit MinStakeUpdated(_minStake, newMinStake);
        _minStake = uint96(newMinStake); // <= MAX_MIN_STAKE < 2^96
    }

    function _setUnbondingDelay(uint64 newDelay) private {
        if (newDelay < MIN_UNBONDING_DELAY || newDelay > MAX_UNBONDING_DELAY) {
            revert InvalidUnbondingDelay(newDelay);
        }
        emit UnbondingDelayUpdated(_unbondingDelay, newDelay);
        _unbondingDelay = newDelay;
    }

    function _setSlashSplit(uint16 rewardBps, uint16 burnBps) private {
        if (rewardBps > MAX_SLASH_REWARD_BPS) revert SlashRewardBpsTooHigh(rewardBps, MAX_SLASH_REWARD_BPS);
        if (burnBps > MAX_SLASH_BURN_BPS) revert SlashBurnBpsTooHigh(burnBps, MAX_SLASH_BURN_BPS);
        _slashRewardBps = rewardBps;
        _slashBurnBps = burnBps;
        emit SlashSplitUpdated(rewardBps, burnBps);
    }
}
