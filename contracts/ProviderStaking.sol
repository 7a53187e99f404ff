// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IInferenceEscrow} from "./interfaces/IInferenceEscrow.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IOPGToken} from "./interfaces/IOPGToken.sol";
import {IProviderStaking} from "./interfaces/IProviderStaking.sol";
import {IRewardSettlement} from "./interfaces/IRewardSettlement.sol";
import {IStakingDelegation} from "./interfaces/IStakingDelegation.sol";

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
///      Delegation (IStakingDelegation): each provider has a share-based pool (`Pool` + `PoolMeta`). The hot
///      slot carries a `pooled` flag (pool has shares), so for a provider without delegators lockCollateral
///      reads no extra slot; with delegators it adds the pool's assets to the capacity. Slashes take the
///      provider's part and the pool's part in proportion (the provider's part rounded up), so every
///      delegator loses pro rata through the share rate, without loops.
///
///      Slash payouts are pushed (SafeERC20 transfer to beneficiary and treasury, burn of OPG held here)
///      rather than credited for a later pull: OPG is a plain OpenZeppelin ERC-20 without transfer hooks
///      or blocklists, so a recipient cannot block or re-enter a slash; value-moving functions are
///      nonReentrant all the same.
contract ProviderStaking is IProviderStaking, IStakingDelegation, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev OWN active stake (includes the provider's part of locked), locked collateral (wei, backed by
    ///      own + pool assets) and whether the delegation pool has shares: one slot.
    struct ProviderStake {
        uint96 active;
        uint96 locked;
        bool pooled;
    }

    /// @dev A provider's delegation pool: active delegated assets and delegators' unbonding assets (wei);
    ///      the delegators' parts of emissions and fees in force (bps) and the scheduled ones.
    struct Pool {
        uint96 assets;
        uint96 unbondingAssets;
        uint16 emissionShareBps; // 10_000 - rewardCutBps
        uint16 feeShareBps;
        uint16 nextEmissionShareBps;
        uint16 nextFeeShareBps;
    }

    /// @dev Share supplies of the active and unbonding pools, reward per active share (1e36-scaled), and
    ///      when the scheduled terms take effect (0: none).
    struct PoolMeta {
        uint256 shares;
        uint256 unbondingShares;
        uint256 rewardPerShare;
        uint64 termsEffectiveAt;
    }

    /// @dev One delegator's position with one provider.
    struct Delegation {
        uint256 shares;
        uint256 rewardPerSharePaid; // accumulator value at the last checkpoint
        uint256 rewards; // wei owed, checkpointed
        uint256 unbondingShares;
        uint64 unlockAt;
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
    uint256 private constant REWARD_PRECISION = 1e36;

    /// @inheritdoc IProviderStaking
    address public immutable OPG;
    /// @inheritdoc IProviderStaking
    address public immutable REGISTRY;
    /// @inheritdoc IProviderStaking
    address public immutable ESCROW;

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

    address private _settlement; // RewardSettlement crediting delegators (set once)
    uint256 private _rewardsHeld; // wei pulled from the settlement for delegators, not yet paid
    mapping(address provider => Pool) private _pools;
    mapping(address provider => PoolMeta) private _poolMeta;
    mapping(address provider => mapping(address delegator => Delegation)) private _delegations;

    /// @param opg The OPG token (ERC-20 + permit + burn).
    /// @param registry The ModelRegistry (serveModel checks `modelExists`).
    /// @param admin Governance: receives DEFAULT_ADMIN_ROLE (grants JOB_MANAGER / SLASHER / PAUSER roles).
    /// @param treasury_ Receives the non-rewarded, non-burned part of slashes.
    /// @param minStake_ Minimum active stake in wei, in [1, MAX_MIN_STAKE].
    /// @param unbondingDelay_ Unbonding delay in seconds, in [MIN_UNBONDING_DELAY, MAX_UNBONDING_DELAY].
    /// @param escrow The InferenceEscrow (its predicted address; it is deployed after this contract), a job
    ///        manager without the role lookup; address(0) for none.
    constructor(
        address opg,
        address registry,
        address admin,
        address treasury_,
        uint256 minStake_,
        uint64 unbondingDelay_,
        address escrow
    ) {
        if (opg == address(0) || registry == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        OPG = opg;
        REGISTRY = registry;
        ESCROW = escrow;
        _setMinStake(minStake_);
        _setUnbondingDelay(unbondingDelay_);
        _treasury = treasury_;
        emit TreasuryUpdated(address(0), treasury_);
        _setSlashSplit(DEFAULT_SLASH_REWARD_BPS, DEFAULT_SLASH_BURN_BPS);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev The escrow by address (an immutable: no storage read), any other job manager by JOB_MANAGER_ROLE.
    modifier onlyJobManager() {
        if (msg.sender != ESCROW) _checkRole(JOB_MANAGER_ROLE);
        _;
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
        // Own stake beyond locked collateral: a provider cannot leave its jobs backed by delegators alone.
        uint256 free = s.active > s.locked ? s.active - s.locked : 0;
        if (amount > free) revert InsufficientFreeStake(msg.sender, free, amount);
        uint256 remaining = s.active - amount;
        uint256 need = _minStake;
        if (remaining != 0 && remaining < need) revert RemainingStakeTooLow(msg.sender, remaining, need);

        // amount <= free <= active < 2^96, and active + unbonding <= totalStaked <= OPG supply < 2^96.
        _stakes[msg.sender].active = uint96(remaining);
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
    // Delegators
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IStakingDelegation
    function delegateStake(address provider, uint256 amount) external whenNotPaused nonReentrant returns (uint256 shares) {
        return _delegate(provider, amount);
    }

    /// @inheritdoc IStakingDelegation
    function delegateStakeWithPermit(address provider, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 shares)
    {
        // A front-run permit makes this call fail although the allowance is set; transferFrom decides.
        try IERC20Permit(OPG).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        return _delegate(provider, amount);
    }

    /// @inheritdoc IStakingDelegation
    function undelegate(address provider, uint256 shares) external nonReentrant returns (uint256 amount) {
        if (shares == 0) revert ZeroAmount();
        Delegation storage d = _delegations[provider][msg.sender];
        uint256 have = d.shares;
        if (shares > have) revert InsufficientShares(msg.sender, provider, have, shares);
        Pool memory p = _pools[provider];
        PoolMeta storage m = _poolMeta[provider];
        uint256 poolShares = m.shares;
        // The last shares take the pool's rounding dust with them (the pool then holds nothing).
        amount = shares == poolShares ? p.assets : _toAssets(shares, p.assets, poolShares);
        ProviderStake memory st = _stakes[provider];
        uint256 free = _capacity(provider, st) - st.locked;
        if (amount > free) revert InsufficientFreeStake(provider, free, amount);

        _checkpoint(d, m.rewardPerShare);
        d.shares = have - shares;
        m.shares = poolShares - shares;
        _pools[provider].assets = p.assets - uint96(amount); // amount <= pool assets
        (uint256 unbondingTotal, uint64 unlockAt) = _enterUnbonding(provider, d, m, amount);
        if (poolShares == shares) _setPooled(provider, false);
        emit Undelegated(msg.sender, provider, shares, amount, unbondingTotal, unlockAt);
    }

    /// @inheritdoc IStakingDelegation
    function withdrawDelegation(address provider) external nonReentrant returns (uint256 amount) {
        Delegation storage d = _delegations[provider][msg.sender];
        uint256 mine = d.unbondingShares;
        if (mine == 0) revert NoDelegationUnbonding(msg.sender, provider);
        uint64 unlockAt = d.unlockAt;
        if (block.timestamp < unlockAt) revert DelegationLocked(msg.sender, provider, unlockAt);
        PoolMeta storage m = _poolMeta[provider];
        uint256 unbondingAssets = _pools[provider].unbondingAssets;
        uint256 unbondingShares = m.unbondingShares;
        amount = mine == unbondingShares ? unbondingAssets : _toAssets(mine, unbondingAssets, unbondingShares);
        d.unbondingShares = 0;
        d.unlockAt = 0;
        m.unbondingShares = unbondingShares - mine;
        _pools[provider].unbondingAssets = uint96(unbondingAssets - amount);
        _totalStaked -= amount;
        emit DelegationWithdrawn(msg.sender, provider, amount);
        if (amount != 0) IERC20(OPG).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IStakingDelegation
    function claimDelegatorRewards(address provider) external nonReentrant returns (uint256 amount) {
        Delegation storage d = _delegations[provider][msg.sender];
        _checkpoint(d, _poolMeta[provider].rewardPerShare);
        uint256 owed = d.rewards;
        if (owed == 0) revert NoDelegatorRewards(msg.sender, provider);
        uint256 held = _rewardsHeld;
        if (held < owed) {
            // Pull everything the settlement owes the pools (fees, and emissions as far as it can mint).
            // It reverts NothingToClaim when there is nothing: then what is held is all there is.
            try IRewardSettlement(_settlement).claim() returns (uint256 fees, uint256 emissions) {
                held += fees + emissions;
            } catch {}
        }
        amount = owed < held ? owed : held;
        if (amount == 0) revert NoDelegatorRewards(msg.sender, provider);
        d.rewards = owed - amount;
        _rewardsHeld = held - amount;
        emit DelegatorRewardsClaimed(msg.sender, provider, amount);
        IERC20(OPG).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IStakingDelegation
    function setDelegationTerms(uint16 rewardCutBps, uint16 feeShareBps) external {
        if (rewardCutBps > BPS || feeShareBps > BPS) revert InvalidTerms(rewardCutBps, feeShareBps);
        Pool storage p = _pools[msg.sender];
        PoolMeta storage m = _poolMeta[msg.sender];
        (uint16 emissionShare, uint16 feeShare) = _terms(p, m.termsEffectiveAt);
        uint16 newEmissionShare = uint16(BPS) - rewardCutBps;
        uint64 effectiveAt = uint64(block.timestamp);
        if (newEmissionShare >= emissionShare && feeShareBps >= feeShare) {
            // Favours delegators (or no change): applies now, replacing any scheduled change.
            p.emissionShareBps = newEmissionShare;
            p.feeShareBps = feeShareBps;
            m.termsEffectiveAt = 0;
        } else {
            // Disfavours delegators: terms in force stay until they have had unbondingDelay to leave.
            p.emissionShareBps = emissionShare;
            p.feeShareBps = feeShare;
            p.nextEmissionShareBps = newEmissionShare;
            p.nextFeeShareBps = feeShareBps;
            effectiveAt += _unbondingDelay;
            m.termsEffectiveAt = effectiveAt;
        }
        emit DelegationTermsSet(msg.sender, rewardCutBps, feeShareBps, effectiveAt);
    }

    // ---------------------------------------------------------------------------------------------
    // Settlement
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IStakingDelegation
    function creditDelegators(address provider, uint256 fees, uint256 emissions)
        external
        returns (uint256 feesToPool, uint256 emissionsToPool)
    {
        if (msg.sender != _settlement) revert NotSettlement(msg.sender);
        PoolMeta storage m = _poolMeta[provider];
        uint256 poolShares = m.shares;
        if (poolShares == 0) return (0, 0);
        (uint16 emissionShare, uint16 feeShare) = _terms(_pools[provider], m.termsEffectiveAt);
        feesToPool = (fees * feeShare) / BPS;
        emissionsToPool = (emissions * emissionShare) / BPS;
        uint256 total = feesToPool + emissionsToPool;
        if (total == 0) return (0, 0);
        uint256 rewardPerShare = m.rewardPerShare + Math.mulDiv(total, REWARD_PRECISION, poolShares);
        m.rewardPerShare = rewardPerShare;
        emit DelegatorRewardsCredited(provider, feesToPool, emissionsToPool, rewardPerShare);
    }

    // ---------------------------------------------------------------------------------------------
    // Escrow and verifiers
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IProviderStaking
    function lockCollateral(address provider, uint32 modelId, uint256 amount)
        external
        onlyJobManager
    {
        if (!_serving[provider][modelId]) revert NotServingModel(provider, modelId);
        ProviderStake storage s = _stakes[provider];
        uint256 active = s.active;
        uint256 locked = s.locked;
        uint256 need = _minStake;
        if (active < need) revert StakeTooLow(provider, active, need);
        // Capacity = own + delegated; the pool slot is read only for a provider with delegators.
        if (s.pooled) active += _pools[provider].assets;
        uint256 free = active - locked;
        if (amount > free) revert InsufficientFreeStake(provider, free, amount);
        s.locked = uint96(locked + amount); // locked + amount <= capacity <= totalStaked < 2^96
    }

    /// @inheritdoc IProviderStaking
    function releaseCollateral(address provider, uint256 amount) external onlyJobManager {
        ProviderStake storage s = _stakes[provider];
        uint256 locked = s.locked;
        if (amount > locked) revert InsufficientCollateral(provider, locked, amount);
        s.locked = uint96(locked - amount);
    }

    /// @inheritdoc IProviderStaking
    function slashCollateral(address provider, uint256 amount, address beneficiary)
        external
        onlyJobManager
        nonReentrant
        returns (uint256 rewarded)
    {
        // Locked collateral is the job manager's to release or slash, job by job: anyone else taking it would
        // leave the manager unable to release / slash a job's collateral, so the job could never close.
        if (amount == 0) return 0;
        ProviderStake memory s = _stakes[provider];
        if (amount > s.locked) revert InsufficientCollateral(provider, s.locked, amount);
        // amount <= locked <= capacity: own stake and pool lose it pro rata.
        _stakes[provider].locked = s.locked - uint96(amount);
        uint256 fromPool = _slashActive(provider, amount);
        if (fromPool != 0) emit DelegationSlashed(provider, fromPool, 0);
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
        uint256 lockAmount = _unbonding[provider].amount;
        uint256 fromActive;
        uint256 fromUnbonding;
        {
            ProviderStake memory s = _stakes[provider];
            uint256 free = _capacity(provider, s) - s.locked;
            fromActive = amount < free ? amount : free;
            uint256 rest = amount - fromActive;
            uint256 unbonding = lockAmount + _pools[provider].unbondingAssets;
            fromUnbonding = rest < unbonding ? rest : unbonding;
        }
        slashed = fromActive + fromUnbonding;
        if (slashed == 0) revert NothingToSlash(provider);

        uint256 fromPool = 0;
        uint256 fromPoolUnbonding = 0;
        if (fromActive != 0) fromPool = _slashActive(provider, fromActive);
        if (fromUnbonding != 0) fromPoolUnbonding = _slashUnbonding(provider, lockAmount, fromUnbonding);
        if (fromPool + fromPoolUnbonding != 0) emit DelegationSlashed(provider, fromPool, fromPoolUnbonding);
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

    /// @inheritdoc IStakingDelegation
    function setRewardSettlement(address settlement) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (settlement == address(0)) revert ZeroAddress();
        address current = _settlement;
        if (current != address(0)) revert SettlementAlreadySet(current);
        if (IInferenceEscrow(IRewardSettlement(settlement).ESCROW()).STAKING() != address(this)) {
            revert InvalidSettlement(settlement);
        }
        _settlement = settlement;
        emit RewardSettlementSet(settlement);
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
        return _capacity(provider, s) - s.locked;
    }

    /// @inheritdoc IProviderStaking
    function isServing(address provider, uint32 modelId) external view returns (bool) {
        return _serving[provider][modelId];
    }

    /// @inheritdoc IProviderStaking
    function isEligible(address provider, uint32 modelId, uint256 amount) external view returns (bool) {
        ProviderStake memory s = _stakes[provider];
        return _serving[provider][modelId] && s.active >= _minStake && amount <= _capacity(provider, s) - s.locked;
    }

    /// @inheritdoc IProviderStaking
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    /// @inheritdoc IStakingDelegation
    function rewardSettlement() external view returns (address) {
        return _settlement;
    }

    /// @inheritdoc IStakingDelegation
    function poolOf(address provider)
        external
        view
        returns (uint256 assets, uint256 shares, uint256 unbondingAssets, uint256 unbondingShares, uint256 rewardPerShare)
    {
        Pool memory p = _pools[provider];
        PoolMeta memory m = _poolMeta[provider];
        return (p.assets, m.shares, p.unbondingAssets, m.unbondingShares, m.rewardPerShare);
    }

    /// @inheritdoc IStakingDelegation
    function delegationTerms(address provider)
        external
        view
        returns (
            uint16 rewardCutBps,
            uint16 feeShareBps,
            uint16 nextRewardCutBps,
            uint16 nextFeeShareBps,
            uint64 effectiveAt
        )
    {
        Pool memory p = _pools[provider];
        uint64 at = _poolMeta[provider].termsEffectiveAt;
        (uint16 emissionShare, uint16 feeShare) = _terms(p, at);
        rewardCutBps = uint16(BPS) - emissionShare;
        feeShareBps = feeShare;
        if (at > block.timestamp) {
            (nextRewardCutBps, nextFeeShareBps, effectiveAt) =
                (uint16(BPS) - p.nextEmissionShareBps, p.nextFeeShareBps, at);
        }
    }

    /// @inheritdoc IStakingDelegation
    function delegationOf(address delegator, address provider)
        external
        view
        returns (uint256 shares, uint256 amount, uint256 unbonding, uint64 unlockAt, uint256 rewards)
    {
        Delegation memory d = _delegations[provider][delegator];
        Pool memory p = _pools[provider];
        PoolMeta memory m = _poolMeta[provider];
        shares = d.shares;
        amount = _toAssets(shares, p.assets, m.shares);
        unbonding = d.unbondingShares == 0 ? 0 : _toAssets(d.unbondingShares, p.unbondingAssets, m.unbondingShares);
        unlockAt = d.unlockAt;
        rewards = d.rewards + Math.mulDiv(shares, m.rewardPerShare - d.rewardPerSharePaid, REWARD_PRECISION);
    }

    /// @inheritdoc IStakingDelegation
    function capacityOf(address provider) external view returns (uint256) {
        return _capacity(provider, _stakes[provider]);
    }

    /// @inheritdoc IStakingDelegation
    function delegatorRewardsHeld() external view returns (uint256) {
        return _rewardsHeld;
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

    function _delegate(address provider, uint256 amount) private returns (uint256 shares) {
        if (amount == 0) revert ZeroAmount();
        if (provider == msg.sender) revert SelfDelegation(provider);
        if (_settlement == address(0)) revert SettlementNotSet();
        ProviderStake memory st = _stakes[provider];
        uint256 need = _minStake;
        if (st.active < need) revert StakeTooLow(provider, st.active, need);
        Pool storage p = _pools[provider];
        PoolMeta storage m = _poolMeta[provider];
        uint256 assets = p.assets;
        uint256 poolShares = m.shares;
        shares = _toShares(amount, assets, poolShares);
        if (shares == 0) revert ZeroShares(provider, amount);

        Delegation storage d = _delegations[provider][msg.sender];
        _checkpoint(d, m.rewardPerShare);
        d.shares += shares;
        poolShares += shares;
        m.shares = poolShares;
        assets += amount;
        p.assets = SafeCast.toUint96(assets);
        _totalStaked += amount;
        if (poolShares == shares) _setPooled(provider, true);
        emit Delegated(msg.sender, provider, amount, shares, assets, poolShares);
        IERC20(OPG).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Moves `amount` wei into the delegators' unbonding pool for `d` (new unbonding shares rounded
    ///      down) and restarts the clock of d's whole unbonding position. Returns its value and unlock time.
    function _enterUnbonding(address provider, Delegation storage d, PoolMeta storage m, uint256 amount)
        private
        returns (uint256 unbondingTotal, uint64 unlockAt)
    {
        uint256 unbondingAssets = _pools[provider].unbondingAssets;
        uint256 unbondingShares = m.unbondingShares;
        uint256 minted = _toShares(amount, unbondingAssets, unbondingShares);
        unbondingAssets += amount;
        unbondingShares += minted;
        uint256 mine = d.unbondingShares + minted;
        unlockAt = uint64(block.timestamp) + _unbondingDelay;
        d.unbondingShares = mine;
        d.unlockAt = unlockAt;
        m.unbondingShares = unbondingShares;
        _pools[provider].unbondingAssets = uint96(unbondingAssets); // <= totalStaked < 2^96
        unbondingTotal = _toAssets(mine, unbondingAssets, unbondingShares);
    }

    /// @dev Marks the pool as having shares (or not) in the hot slot and in the settlement's account, so
    ///      neither reads delegation state for a provider without delegators.
    function _setPooled(address provider, bool pooled) private {
        _stakes[provider].pooled = pooled;
        IRewardSettlement(_settlement).setDelegated(provider, pooled);
    }

    /// @dev Collateral capacity (wei): own active stake, plus the pool's assets while it has shares.
    function _capacity(address provider, ProviderStake memory s) private view returns (uint256) {
        return s.pooled ? uint256(s.active) + _pools[provider].assets : s.active;
    }

    /// @dev Takes `amount` (<= capacity) off own active stake and pool assets pro rata, the provider's part
    ///      rounded up. Returns the pool's part.
    function _slashActive(address provider, uint256 amount) private returns (uint256 fromPool) {
        ProviderStake storage s = _stakes[provider];
        uint256 active = s.active;
        uint256 fromOwn = amount;
        if (s.pooled) {
            uint256 assets = _pools[provider].assets;
            fromOwn = Math.mulDiv(amount, active, active + assets, Math.Rounding.Ceil);
            fromPool = amount - fromOwn;
            if (fromPool != 0) _pools[provider].assets = uint96(assets - fromPool);
        }
        if (fromOwn != 0) s.active = uint96(active - fromOwn);
    }

    /// @dev Takes `amount` (<= both unbonding positions) off the provider's unbonding lock (`lockAmount`) and
    ///      the delegators' unbonding pool pro rata, the provider's part rounded up. Returns the pool's part.
    function _slashUnbonding(address provider, uint256 lockAmount, uint256 amount) private returns (uint256 fromPool) {
        uint256 poolUnbonding = _pools[provider].unbondingAssets;
        uint256 fromLock = Math.mulDiv(amount, lockAmount, lockAmount + poolUnbonding, Math.Rounding.Ceil);
        fromPool = amount - fromLock;
        if (fromLock != 0) {
            if (fromLock == lockAmount) delete _unbonding[provider];
            else _unbonding[provider].amount = uint96(lockAmount - fromLock); // unlock time unchanged
        }
        if (fromPool != 0) _pools[provider].unbondingAssets = uint96(poolUnbonding - fromPool);
    }

    /// @dev Terms in force: the scheduled ones once their time has come. Returns the delegators' parts
    ///      (bps) of emissions and fees.
    function _terms(Pool memory p, uint64 effectiveAt) private view returns (uint16 emissionShare, uint16 feeShare) {
        if (effectiveAt != 0 && block.timestamp >= effectiveAt) return (p.nextEmissionShareBps, p.nextFeeShareBps);
        return (p.emissionShareBps, p.feeShareBps);
    }

    /// @dev Folds the rewards earned since the last checkpoint into `d.rewards` (rounded down).
    function _checkpoint(Delegation storage d, uint256 rewardPerShare) private {
        uint256 shares = d.shares;
        if (shares != 0) d.rewards += Math.mulDiv(shares, rewardPerShare - d.rewardPerSharePaid, REWARD_PRECISION);
        d.rewardPerSharePaid = rewardPerShare;
    }

    /// @dev Shares for `assets` wei at the pool's rate, rounded down (virtual unit: defined when empty or wiped).
    function _toShares(uint256 assets, uint256 poolAssets, uint256 poolShares) private pure returns (uint256) {
        return Math.mulDiv(assets, poolShares + 1, poolAssets + 1);
    }

    /// @dev Value (wei) of `shares` at the pool's rate, rounded down.
    function _toAssets(uint256 shares, uint256 poolAssets, uint256 poolShares) private pure returns (uint256) {
        return Math.mulDiv(shares, poolAssets + 1, poolShares + 1);
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
