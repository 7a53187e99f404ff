// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IStakingDelegation
/// @dev `delegateStake` (not `delegate`): Ape reserves `delegate` on every address object (EIP-7702).
/// @notice Delegation, the token holders' side of ProviderStaking: a holder delegates OPG to a provider;
///         the tokens join the provider's share-based pool, count toward its collateral capacity
///         (capacity = own active stake + pool assets) and are slashed pro rata with the provider's own
///         stake. Undelegating moves the holder's value into the provider's delegator unbonding pool (one
///         aggregated lock per delegator and provider, same unbondingDelay, slashable until withdrawn).
///         Delegators earn `feeShareBps` of the provider's fee share and `10_000 - rewardCutBps` of its
///         emissions, credited by RewardSettlement when it credits the provider, through a per-pool
///         reward-per-share accumulator, and claim them (pull).
/// @dev Units: amounts in OPG wei; shares are pool units (no decimals meaning); times unix seconds; bps
///      (10_000 = 100%). Rounding is always against the claimant and never creates tokens:
///        shares minted = floor(amount * (S + 1) / (A + 1)), value of shares = floor(s * (A + 1) / (S + 1))
///        (A, S: pool assets and shares; the virtual unit keeps the rate defined after a wipe-out), the
///        provider's part of a slash rounds UP (pool part = amount - provider part), rewards per share
///        round down (the undistributed dust stays in the contract).
///      Terms: a change that favours delegators (lower cut, higher fee share) applies at once; one that
///      disfavours them is scheduled and applies unbondingDelay seconds later, so delegators can leave
///      (undelegated shares stop earning at once) before it bites.
///      Errors shared with staking (ZeroAmount, ZeroAddress, StakeTooLow, InsufficientFreeStake, EnforcedPause)
///      are declared on IProviderStaking.
interface IStakingDelegation {
    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice `caller` is not the linked RewardSettlement.
    error NotSettlement(address caller);
    /// @notice Delegation needs the RewardSettlement link (governance: setRewardSettlement).
    error SettlementNotSet();
    /// @notice The settlement link is set once; it is `current`.
    error SettlementAlreadySet(address current);
    /// @notice `settlement` does not settle for this staking contract (its escrow's STAKING differs).
    error InvalidSettlement(address settlement);
    /// @notice A provider cannot delegate to itself (it stakes).
    error SelfDelegation(address provider);
    /// @notice `amount` wei would mint zero shares at the pool's current rate.
    error ZeroShares(address provider, uint256 amount);
    /// @notice `delegator` holds `have` shares of `provider`'s pool, fewer than `need`.
    error InsufficientShares(address delegator, address provider, uint256 have, uint256 need);
    /// @notice `delegator` has no unbonding delegation with `provider`.
    error NoDelegationUnbonding(address delegator, address provider);
    /// @notice `delegator`'s unbonding delegation with `provider` unlocks only at `unlockAt` (unix s).
    error DelegationLocked(address delegator, address provider, uint64 unlockAt);
    /// @notice `delegator` has no payable rewards from `provider`'s pool.
    error NoDelegatorRewards(address delegator, address provider);
    /// @notice A term is above 10_000 bps.
    error InvalidTerms(uint16 rewardCutBps, uint16 feeShareBps);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice `delegator` delegated `amount` wei to `provider` for `shares`; the pool now holds
    ///         `poolAssets` wei in `poolShares` shares.
    event Delegated(
        address indexed delegator,
        address indexed provider,
        uint256 amount,
        uint256 shares,
        uint256 poolAssets,
        uint256 poolShares
    );
    /// @notice `delegator` redeemed `shares` of `provider`'s pool for `amount` wei, now unbonding; its
    ///         unbonding delegation with `provider` is worth `unbondingTotal` wei and unlocks at `unlockAt`.
    event Undelegated(
        address indexed delegator,
        address indexed provider,
        uint256 shares,
        uint256 amount,
        uint256 unbondingTotal,
        uint64 unlockAt
    );
    /// @notice `delegator` withdrew its unlocked unbonding delegation with `provider`: `amount` wei.
    event DelegationWithdrawn(address indexed delegator, address indexed provider, uint256 amount);
    /// @notice `provider` set its terms: from `effectiveAt` (unix s; now if they favour delegators) it keeps
    ///         `rewardCutBps` of its emissions and passes `feeShareBps` of its fee share to delegators.
    event DelegationTermsSet(address indexed provider, uint16 rewardCutBps, uint16 feeShareBps, uint64 effectiveAt);
    /// @notice Settlement credited `provider`'s delegators `fees` + `emissions` wei; the pool's reward per
    ///         share (scaled by 1e36) is now `rewardPerShare`.
    event DelegatorRewardsCredited(address indexed provider, uint256 fees, uint256 emissions, uint256 rewardPerShare);
    /// @notice `delegator` was paid `amount` wei of rewards from `provider`'s pool.
    event DelegatorRewardsClaimed(address indexed delegator, address indexed provider, uint256 amount);
    /// @notice A slash of `provider` took `fromPool` wei from its delegation pool and `fromUnbonding` wei
    ///         from its delegators' unbonding pool (the rest came from the provider; see Slashed).
    event DelegationSlashed(address indexed provider, uint256 fromPool, uint256 fromUnbonding);
    /// @notice Governance linked the RewardSettlement that credits delegators.
    event RewardSettlementSet(address settlement);

    // ---------------------------------------------------------------------------------------------
    // Delegators
    // ---------------------------------------------------------------------------------------------

    /// @notice Delegates `amount` wei of OPG (pulled with transferFrom; approve first) to `provider`.
    /// @dev Reverts ZeroAmount, SelfDelegation, SettlementNotSet, StakeTooLow(provider, own, minStake) (the
    ///      provider's OWN active stake must reach minStake), ZeroShares, EnforcedPause. Returns shares minted.
    function delegateStake(address provider, uint256 amount) external returns (uint256 shares);

    /// @notice `delegateStake` with an EIP-2612 permit for `amount` (spender: this contract) in the same call.
    /// @dev A failing permit (e.g. front-run) is ignored if the allowance is already sufficient.
    function delegateStakeWithPermit(address provider, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 shares);

    /// @notice Redeems `shares` of `provider`'s pool: their value (wei, rounded down) leaves the provider's
    ///         capacity for the caller's unbonding delegation, whose WHOLE position unlocks at
    ///         block.timestamp + unbondingDelay. Returns the amount (wei).
    /// @dev Rewards earned so far are kept (claimable). Reverts ZeroAmount, InsufficientShares,
    ///      InsufficientFreeStake(provider, free, amount) (capacity backing locked collateral cannot leave).
    function undelegate(address provider, uint256 shares) external returns (uint256 amount);

    /// @notice Pays the caller's unlocked unbonding delegation with `provider` (after any slashing).
    /// @dev Reverts NoDelegationUnbonding, DelegationLocked.
    function withdrawDelegation(address provider) external returns (uint256 amount);

    /// @notice Pays the caller's rewards from `provider`'s pool (pulling the pool's credits from the
    ///         settlement when needed). Emissions the settlement cannot mint yet stay owed.
    /// @dev Reverts NoDelegatorRewards.
    function claimDelegatorRewards(address provider) external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Providers
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the caller's delegation terms: `rewardCutBps` of its emissions it keeps, `feeShareBps`
    ///         of its fee share it passes to delegators. Favourable changes apply now, others after
    ///         unbondingDelay (a later call replaces a scheduled change). Defaults: cut 10_000, share 0.
    /// @dev Reverts InvalidTerms.
    function setDelegationTerms(uint16 rewardCutBps, uint16 feeShareBps) external;

    // ---------------------------------------------------------------------------------------------
    // Settlement
    // ---------------------------------------------------------------------------------------------

    /// @notice Called by the linked settlement when it credits `provider` `fees` wei (its fee share) or
    ///         `emissions` wei: returns the delegators' parts, now owed to this contract's settlement
    ///         account and added to the pool's reward per share (zero if the pool has no shares).
    /// @dev Reverts NotSettlement.
    function creditDelegators(address provider, uint256 fees, uint256 emissions)
        external
        returns (uint256 feesToPool, uint256 emissionsToPool);

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @notice Links the RewardSettlement that credits delegators (DEFAULT_ADMIN_ROLE); it must settle for
    ///         this contract (its ESCROW's STAKING is this). Reverts ZeroAddress, InvalidSettlement.
    function setRewardSettlement(address settlement) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice The linked RewardSettlement (zero until set).
    function rewardSettlement() external view returns (address);

    /// @notice `provider`'s pool: active delegated assets (wei) and shares, delegators' unbonding assets
    ///         (wei) and shares, reward per share (1e36-scaled).
    function poolOf(address provider)
        external
        view
        returns (uint256 assets, uint256 shares, uint256 unbondingAssets, uint256 unbondingShares, uint256 rewardPerShare);

    /// @notice `provider`'s terms in force now and the scheduled ones (effectiveAt 0: none scheduled).
    function delegationTerms(address provider)
        external
        view
        returns (uint16 rewardCutBps, uint16 feeShareBps, uint16 nextRewardCutBps, uint16 nextFeeShareBps, uint64 effectiveAt);

    /// @notice `delegator`'s position with `provider`: active shares and their value (wei, rounded down),
    ///         unbonding value (wei) and unlock time, rewards claimable (wei, including uncheckpointed).
    function delegationOf(address delegator, address provider)
        external
        view
        returns (uint256 shares, uint256 amount, uint256 unbonding, uint64 unlockAt, uint256 rewards);

    /// @notice Collateral capacity of `provider` (wei): own active stake + delegated pool assets.
    function capacityOf(address provider) external view returns (uint256);

    /// @notice Rewards pulled from the settlement and not yet paid to delegators (wei).
    function delegatorRewardsHeld() external view returns (uint256);
}
