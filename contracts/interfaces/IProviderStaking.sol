// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IProviderStaking
/// @notice Inference providers stake OPG, declare the models they serve, and back every job they claim
///         with collateral locked out of their free stake. Stake leaves through a timed unbonding lock
///         (Livepeer style) and stays slashable until withdrawn.
/// @dev Units: every amount is in OPG wei (uint256 in the ABI, packed to uint96 in storage: the OPG cap
///      1e27 < 2^96); times are unix seconds; shares are basis points (10_000 = 100%).
///
///      Stake accounting of one provider:
///        active    — bonded stake; `locked` is the part of it backing claimed jobs (active >= locked).
///        free      — active - locked: what can back new jobs or be unbonded.
///        unbonding — ONE aggregated position per provider (amount + unlockAt). A new `unbond` adds to it
///                    and RESTARTS the clock for the whole position (unlockAt = now + unbondingDelay), so
///                    no function ever loops over a provider's locks. `withdraw` pays it out once unlocked.
///      A provider is eligible for new jobs only while active >= minStake.
///
///      Delegation (IStakingDelegation) adds a pool per provider: capacity = active + pool assets, and
///      `locked` is backed by capacity (active may be below locked when delegators back the rest).
///
///      Invariant: the contract's OPG balance == totalStaked() + delegatorRewardsHeld(), totalStaked() ==
///      sum(active + unbonding) over all providers + sum(pool assets + pool unbonding assets)
///      (tokens sent to the contract outside `stake*` / `delegate*` can only make the balance larger).
///
///      Roles: DEFAULT_ADMIN_ROLE (governance: parameters, roles), JOB_MANAGER_ROLE (the escrow:
///      lock/release/slash collateral; only it may touch locked collateral), SLASHER_ROLE (escrow + verifiers:
///      the general `slash`, which never reaches locked collateral), PAUSER_ROLE (pause/unpause `stake*` only; unbond, withdraw, release, slash never stop).
interface IProviderStaking {
    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice An amount that must be positive was zero.
    error ZeroAmount();
    /// @notice An address that must be set was the zero address.
    error ZeroAddress();
    /// @notice Active stake `have` is below the required `need` (minStake): a first stake that does not
    ///         reach the minimum, or a provider not eligible for a job (unstaked, exiting, slashed below).
    error StakeTooLow(address provider, uint256 have, uint256 need);
    /// @notice Free stake (active - locked) `free` does not cover `need`.
    error InsufficientFreeStake(address provider, uint256 free, uint256 need);
    /// @notice Unbonding would leave `remaining` active stake, above zero but below `need` (minStake):
    ///         a provider must either exit fully or stay at or above the minimum.
    error RemainingStakeTooLow(address provider, uint256 remaining, uint256 need);
    /// @notice The provider does not serve `modelId`.
    error NotServingModel(address provider, uint32 modelId);
    /// @notice The provider already serves `modelId`.
    error AlreadyServingModel(address provider, uint32 modelId);
    /// @notice The registry reported that `modelId` does not exist.
    error ModelNotFound(uint32 modelId);
    /// @notice Locked collateral `locked` is less than the `need` being released or slashed.
    error InsufficientCollateral(address provider, uint256 locked, uint256 need);
    /// @notice The provider has no unbonding position to withdraw.
    error NothingToWithdraw(address provider);
    /// @notice The unbonding position unlocks only at `unlockAt` (unix seconds).
    error UnbondingLocked(address provider, uint256 unlockAt);
    /// @notice The provider has no free active or unbonding stake that `slash` could take.
    error NothingToSlash(address provider);
    /// @notice `minStake` (wei) is outside [1, MAX_MIN_STAKE].
    error InvalidMinStake(uint256 minStake);
    /// @notice `unbondingDelay` (seconds) is outside [MIN_UNBONDING_DELAY, MAX_UNBONDING_DELAY].
    error InvalidUnbondingDelay(uint64 unbondingDelay);
    /// @notice `slashRewardBps` exceeds MAX_SLASH_REWARD_BPS.
    error SlashRewardBpsTooHigh(uint16 slashRewardBps, uint16 max);
    /// @notice `slashBurnBps` exceeds MAX_SLASH_BURN_BPS (10_000).
    error SlashBurnBpsTooHigh(uint16 slashBurnBps, uint16 max);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice `provider` staked `amount` wei; its active stake is now `newTotal` wei.
    event Staked(address indexed provider, uint256 amount, uint256 newTotal);
    /// @notice `provider` moved `amount` wei from active stake into its unbonding position, which now
    ///         holds `unbondingTotal` wei and unlocks at `unlockAt`; active stake is now `activeLeft`.
    event Unbonded(
        address indexed provider, uint256 amount, uint256 activeLeft, uint256 unbondingTotal, uint64 unlockAt
    );
    /// @notice `provider` withdrew its unlocked unbonding position of `amount` wei.
    event Withdrawn(address indexed provider, uint256 amount);
    /// @notice `provider` declared that it serves `modelId`.
    event ModelServed(address indexed provider, uint32 indexed modelId);
    /// @notice `provider` stopped serving `modelId`.
    event ModelServingStopped(address indexed provider, uint32 indexed modelId);
    /// @notice `amount` wei of `provider`'s stake was slashed: `rewarded` to `beneficiary`, `burned`
    ///         burned, `toTreasury` sent to the treasury (rewarded + burned + toTreasury == amount).
    event Slashed(
        address indexed provider,
        uint256 amount,
        address beneficiary,
        uint256 rewarded,
        uint256 burned,
        uint256 toTreasury
    );
    /// @notice Governance changed the minimum active stake (wei).
    event MinStakeUpdated(uint256 oldMinStake, uint256 newMinStake);
    /// @notice Governance changed the unbonding delay (seconds); applies to unbonds made from now on.
    event UnbondingDelayUpdated(uint64 oldDelay, uint64 newDelay);
    /// @notice Governance changed the slash split (basis points).
    event SlashSplitUpdated(uint16 slashRewardBps, uint16 slashBurnBps);
    /// @notice Governance changed the treasury address.
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    // ---------------------------------------------------------------------------------------------
    // Provider actions
    // ---------------------------------------------------------------------------------------------

    /// @notice Stakes `amount` wei of OPG (pulled with transferFrom; approve first).
    /// @dev A provider with no active stake must bring it to at least minStake (else StakeTooLow);
    ///      top-ups of a non-zero active stake may be any amount. Reverts ZeroAmount, EnforcedPause.
    function stake(uint256 amount) external;

    /// @notice `stake` with an EIP-2612 permit for `amount` (spender: this contract) in the same call.
    /// @dev A failing permit (e.g. front-run) is ignored if the allowance is already sufficient.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Declares that the caller serves `modelId` (must exist in the registry).
    /// @dev Reverts AlreadyServingModel, ModelNotFound (or the registry's UnknownModel).
    function serveModel(uint32 modelId) external;

    /// @notice Stops serving `modelId`; already-claimed jobs keep their collateral. Reverts NotServingModel.
    function stopServing(uint32 modelId) external;

    /// @notice Moves `amount` wei of own active stake beyond locked collateral into the caller's unbonding position and (re)starts
    ///         its clock: the WHOLE position unlocks at block.timestamp + unbondingDelay.
    /// @dev Reverts ZeroAmount, InsufficientFreeStake (locked collateral cannot be unbonded),
    ///      RemainingStakeTooLow (0 < active left < minStake). Unbonding stake stays slashable.
    function unbond(uint256 amount) external;

    /// @notice Sends the caller's whole unbonding position once unlocked. Returns the amount (wei).
    /// @dev Reverts NothingToWithdraw, UnbondingLocked(provider, unlockAt).
    function withdraw() external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Escrow (JOB_MANAGER_ROLE) and verifiers (SLASHER_ROLE)
    // ---------------------------------------------------------------------------------------------

    /// @notice Locks `amount` of the provider's free stake as collateral for one job.
    /// @dev Only ESCROW or JOB_MANAGER_ROLE. Reverts: NotServingModel(provider, modelId), StakeTooLow(provider,
    ///      have, need) (active stake below the minimum, including a provider that is exiting),
    ///      InsufficientFreeStake(provider, free, need).
    ///      Emits no event of its own: the job manager's event for the same transition carries the provider
    ///      and the amount (the escrow's JobClaimed(jobId, provider, collateral, deadline)); see the
    ///      contract's @dev note on events.
    function lockCollateral(address provider, uint32 modelId, uint256 amount) external;

    /// @notice Returns collateral to the provider's free stake (job ended well).
    /// @dev Only ESCROW or JOB_MANAGER_ROLE. Reverts InsufficientCollateral(provider, locked, amount). Emits no event of
    ///      its own: the job manager's event closing the job names it (the escrow's JobFinalized; the amount
    ///      is the collateral its JobClaimed locked).
    function releaseCollateral(address provider, uint256 amount) external;

    /// @notice Slashes `amount` of locked collateral: the provider's stake and locked collateral both drop
    ///         by `amount`; `slashRewardBps` of it goes to `beneficiary` (nothing if it is address(0)), of the
    ///         rest `slashBurnBps` is burned and the remainder goes to the treasury. Returns what the
    ///         beneficiary received (wei).
    /// @dev Only ESCROW or JOB_MANAGER_ROLE (the escrow accounts collateral per job: a verifier slashing it directly
    ///      would leave a job unable to close). `amount == 0` is a no-op returning 0 (so a zero-collateral
    ///      job can always expire). Reverts InsufficientCollateral(provider, locked, amount).
    ///      Payouts are pushed with SafeERC20 (OPG has no transfer hooks, so a recipient cannot block).
    function slashCollateral(address provider, uint256 amount, address beneficiary)
        external
        returns (uint256 rewarded);

    /// @notice Slashes up to `amount` of stake for a fault proven without locked collateral: free active
    ///         stake first, then the unbonding position; locked collateral is never touched (it belongs
    ///         to open jobs). Same split as slashCollateral. Returns the amount actually slashed (capped at
    ///         free + unbonding) and what the beneficiary received (wei).
    /// @dev Only SLASHER_ROLE. Reverts ZeroAmount, NothingToSlash(provider).
    function slash(address provider, uint256 amount, address beneficiary)
        external
        returns (uint256 slashed, uint256 rewarded);

    // ---------------------------------------------------------------------------------------------
    // Governance (DEFAULT_ADMIN_ROLE) and PAUSER_ROLE
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the minimum active stake (wei) in [1, MAX_MIN_STAKE]. Providers now below it are no
    ///         longer eligible for new jobs (their open jobs are unaffected).
    function setMinStake(uint256 newMinStake) external;

    /// @notice Sets the unbonding delay (seconds) in [MIN_UNBONDING_DELAY, MAX_UNBONDING_DELAY]; positions
    ///         already unbonding keep their unlock time until they are topped up.
    function setUnbondingDelay(uint64 newDelay) external;

    /// @notice Sets the slash split: `rewardBps` <= MAX_SLASH_REWARD_BPS to the beneficiary, then
    ///         `burnBps` <= 10_000 of the rest burned, the remainder to the treasury.
    function setSlashSplit(uint16 rewardBps, uint16 burnBps) external;

    /// @notice Sets the treasury that receives the non-burned, non-rewarded part of slashes.
    function setTreasury(address newTreasury) external;

    /// @notice Pauses `stake` and `stakeWithPermit` (only). PAUSER_ROLE.
    function pause() external;

    /// @notice Unpauses staking. PAUSER_ROLE.
    function unpause() external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Role of the escrow: lockCollateral, releaseCollateral, slashCollateral.
    function JOB_MANAGER_ROLE() external view returns (bytes32);
    /// @notice Role of the escrow and verifiers: slash (free and unbonding stake, never locked collateral).
    function SLASHER_ROLE() external view returns (bytes32);
    /// @notice Role that may pause staking.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice Hard cap on minStake (wei).
    function MAX_MIN_STAKE() external view returns (uint256);
    /// @notice Hard floor on unbondingDelay (seconds).
    function MIN_UNBONDING_DELAY() external view returns (uint64);
    /// @notice Hard cap on unbondingDelay (seconds).
    function MAX_UNBONDING_DELAY() external view returns (uint64);
    /// @notice Hard cap on slashRewardBps.
    function MAX_SLASH_REWARD_BPS() external view returns (uint16);
    /// @notice Hard cap on slashBurnBps.
    function MAX_SLASH_BURN_BPS() external view returns (uint16);

    /// @notice The OPG token.
    function OPG() external view returns (address);
    /// @notice The InferenceEscrow, a job manager by address (checked before JOB_MANAGER_ROLE: saves the role
    ///         lookup on every claim / finalize); address(0) if none. Fixed at deployment: revoking the role
    ///         does not remove it. Other job managers (BatchSettlement) hold JOB_MANAGER_ROLE.
    function ESCROW() external view returns (address);
    /// @notice The model registry consulted by serveModel.
    function REGISTRY() external view returns (address);

    /// @notice Minimum active stake (wei) to be eligible for jobs (and of a first stake).
    function minStake() external view returns (uint256);
    /// @notice Unbonding delay (seconds).
    function unbondingDelay() external view returns (uint64);
    /// @notice Share of a slash paid to the beneficiary (bps).
    function slashRewardBps() external view returns (uint16);
    /// @notice Share of a slash's non-rewarded part that is burned (bps); the rest goes to the treasury.
    function slashBurnBps() external view returns (uint16);
    /// @notice Treasury receiving slashed stake that is neither rewarded nor burned.
    function treasury() external view returns (address);

    /// @notice A provider's stake: active (wei, includes locked), locked collateral (wei), unbonding
    ///         position (wei) and its unlock time (unix seconds; 0 if none).
    function stakeOf(address provider)
        external
        view
        returns (uint256 active, uint256 locked, uint256 unbonding, uint64 unlockAt);

    /// @notice Free capacity (own active + delegated pool assets - locked, wei): what can back new jobs.
    /// @dev The provider itself may unbond only own active stake beyond locked collateral.
    function freeStake(address provider) external view returns (uint256);

    /// @notice Whether `provider` serves `modelId`.
    function isServing(address provider, uint32 modelId) external view returns (bool);

    /// @notice Whether lockCollateral(provider, modelId, amount) would succeed now (ignoring the role).
    function isEligible(address provider, uint32 modelId, uint256 amount) external view returns (bool);

    /// @notice Sum of active (incl. locked) and unbonding stake over all providers, plus delegation pools'
    ///         active and unbonding assets (wei); the contract's OPG balance is this plus delegators' rewards
    ///         held (IStakingDelegation.delegatorRewardsHeld), absent direct donations.
    function totalStaked() external view returns (uint256);
}
