// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRewardSettlement
/// @notice Settles finalized inference fees and epoch emissions, as pull payments.
///         Each finalized fee is split into provider share, model-owner royalty (the version's royaltyBps)
///         and treasury share (treasuryFeeBps, at most MAX_TREASURY_FEE_BPS) and credited as claimable
///         balances; the fee tokens stay in the escrow (its `settledUnswept`) until a claim pulls them here.
///         Emissions: time is cut into epochs of EPOCH_LENGTH seconds from GENESIS_TIME; epoch `e` emits
///         emission(e) = INITIAL_EMISSION * (DECAY_BPS / 10_000)^e wei, shared among providers in proportion
///         to the fees of jobs they finalized in `e`, claimable once `e` has closed, minted at claim time
///         (never past the OPG cap: what cannot be minted stays owed).
/// @dev No function loops over providers or epochs: each account keeps ONE pending (epoch, fees) record,
///      packed with its claimable fee balance, folded into owed emissions lazily (on its next credit in a
///      later epoch, or on claim): owed += fees * emission(epoch) / totalFees(epoch).
///      Fee sources: the escrow (its fees stay there until swept) and FEE_SOURCE_ROLE holders (e.g.
///      BatchSettlement), which transfer the tokens here before every credit.
///      Invariant: OPG.balanceOf(settlement) + escrow.settledUnswept() ==
///      sum of claimable fee balances + treasuryAccrued.
interface IRewardSettlement {
    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice Only the escrow or a FEE_SOURCE_ROLE holder may credit; `caller` is neither.
    error NotEscrow(address caller);
    /// @notice Only the staking contract (the escrow's STAKING) may mark delegated providers; `caller` is not it.
    error NotStaking(address caller);
    /// @notice `account` has nothing claimable now.
    error NothingToClaim(address account);
    /// @notice `bps` exceeds MAX_TREASURY_FEE_BPS (`max`).
    error TreasuryFeeTooHigh(uint16 bps, uint16 max);
    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice Invalid emission schedule: epoch length (s) is zero, decay (bps) above 10_000, initial
    ///         emission above the OPG cap, or genesis (unix s) in the future.
    error InvalidSchedule(uint64 genesisTime, uint64 epochLength, uint256 initialEmission, uint16 decayBps);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice A finalized job fee of `fee` wei, earned in `epoch`, was split and credited.
    event FeeCredited(
        address indexed provider,
        address indexed modelOwner,
        uint256 fee,
        uint256 providerShare,
        uint256 royalty,
        uint256 treasuryShare,
        uint256 epoch
    );
    /// @notice `amount` wei were credited to `account`'s claimable balance (a forfeited challenge bond).
    event BalanceCredited(address indexed account, uint256 amount);
    /// @notice Epoch `epoch` closed with `totalFees` wei of fees (the denominator of its emission shares).
    event EpochClosed(uint256 indexed epoch, uint256 totalFees);
    /// @notice `account`'s fees of closed `epoch` earned it `amount` wei of emissions (now owed).
    event EmissionsAccrued(address indexed account, uint256 indexed epoch, uint256 amount);
    /// @notice `account` claimed `fees` wei of fee balance and was minted `emissions` wei.
    event RewardsClaimed(address indexed account, uint256 fees, uint256 emissions);
    /// @notice `amount` wei of accrued treasury share were paid to `treasury`.
    event TreasuryClaimed(address indexed treasury, uint256 amount);
    /// @notice Staking marked `provider`'s pool as having delegators (`delegated`) or not: its credits and
    ///         emission folds pass the delegators' part to the staking contract's account.
    event DelegationLinked(address indexed provider, bool delegated);
    /// @notice Governance changed the treasury share of fees (bps).
    event TreasuryFeeUpdated(uint16 oldBps, uint16 newBps);
    /// @notice Governance changed the treasury address.
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    // ---------------------------------------------------------------------------------------------
    // Escrow and fee sources (FEE_SOURCE_ROLE)
    // ---------------------------------------------------------------------------------------------

    /// @notice Credits a finalized job fee of `fee` wei (held by the escrow): `royaltyBps` of it to
    ///         `modelOwner`, treasuryFeeBps to the treasury, the rest to `provider`; records `fee` as
    ///         `provider`'s verified fees of the current epoch. Only the escrow or a FEE_SOURCE_ROLE holder
    ///         (which has transferred `fee` here first).
    /// @dev Reverts NotEscrow. Emits FeeCredited (and EpochClosed / EmissionsAccrued on epoch roll-over).
    function creditFee(address provider, address modelOwner, uint16 royaltyBps, uint256 fee) external;

    /// @notice Credits `amount` wei (held by the escrow, or transferred here first by a FEE_SOURCE_ROLE
    ///         holder) to `account`'s claimable balance. Only the escrow or a FEE_SOURCE_ROLE holder.
    /// @dev Reverts NotEscrow. Emits BalanceCredited.
    function creditBalance(address account, uint256 amount) external;

    // ---------------------------------------------------------------------------------------------
    // Staking
    // ---------------------------------------------------------------------------------------------

    /// @notice Marks whether `provider`'s staking pool has delegators. Only the staking contract (the
    ///         escrow's STAKING). While set, each fee credit and emission fold of `provider` asks staking for
    ///         the delegators' part (IStakingDelegation.creditDelegators) and credits it to the staking
    ///         contract's account; FeeCredited / EmissionsAccrued still report the provider's gross amounts.
    /// @dev Reverts NotStaking. Emits DelegationLinked.
    function setDelegated(address provider, bool delegated) external;

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @notice Pays the caller its claimable fee balance and mints its owed emissions (of closed epochs),
    ///         up to the OPG cap (and only while this contract holds the OPG MINTER_ROLE); emissions not
    ///         minted stay owed, fees are paid regardless. Pulls settled fees from the escrow first when needed.
    /// @dev Reverts NothingToClaim. Emits RewardsClaimed (and EmissionsAccrued when a pending epoch folds).
    /// @return fees Wei of fee balance transferred.
    /// @return emissions Wei of OPG minted.
    function claim() external returns (uint256 fees, uint256 emissions);

    /// @notice Pays the accrued treasury share to the treasury address (anyone may trigger it).
    /// @dev Reverts NothingToClaim(treasury). Emits TreasuryClaimed.
    function claimTreasury() external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Governance (DEFAULT_ADMIN_ROLE)
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the treasury share of each fee (bps, <= MAX_TREASURY_FEE_BPS), for fees finalized from now.
    function setTreasuryFeeBps(uint16 bps) external;

    /// @notice Sets the treasury address (receives claimTreasury payouts).
    function setTreasury(address newTreasury) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Current epoch number (0 at GENESIS_TIME).
    function currentEpoch() external view returns (uint256);

    /// @notice Emission of epoch `epoch`, wei: INITIAL_EMISSION * (DECAY_BPS / 10_000)^epoch.
    function epochEmission(uint256 epoch) external view returns (uint256);

    /// @notice Total verified fees (wei) credited in `epoch`.
    function epochTotalFees(uint256 epoch) external view returns (uint256);

    /// @notice What `account` could claim now: fee balance (wei) and emissions (wei, before the cap; for a
    ///         delegated provider a not-yet-folded epoch is shown before its delegators' part).
    function claimable(address account) external view returns (uint256 fees, uint256 emissions);

    /// @notice Raw record of `account`: claimable fee balance, pending epoch and its fees, owed emissions.
    function accountOf(address account)
        external
        view
        returns (uint256 claimableFees, uint256 pendingEpoch, uint256 pendingFees, uint256 owedEmissions);

    /// @notice Whether `provider`'s credits pass a part to its delegators (see setDelegated).
    function isDelegated(address provider) external view returns (bool);

    /// @notice Treasury share accrued and not yet paid, wei.
    function treasuryAccrued() external view returns (uint256);

    /// @notice Treasury share of each fee, bps.
    function treasuryFeeBps() external view returns (uint16);

    /// @notice Treasury address.
    function treasury() external view returns (address);

    /// @notice Role of the additional fee sources (e.g. BatchSettlement), granted by governance. A holder
    ///         must transfer the tokens it credits to this contract before crediting them.
    function FEE_SOURCE_ROLE() external view returns (bytes32);
    /// @notice Hard cap on treasuryFeeBps.
    function MAX_TREASURY_FEE_BPS() external view returns (uint16);
    /// @notice Start of epoch 0, unix seconds.
    function GENESIS_TIME() external view returns (uint64);
    /// @notice Epoch length, seconds.
    function EPOCH_LENGTH() external view returns (uint64);
    /// @notice Emission of epoch 0, wei.
    function INITIAL_EMISSION() external view returns (uint256);
    /// @notice Per-epoch emission decay factor, bps (e.g. 9_900: each epoch emits 99% of the previous).
    function DECAY_BPS() external view returns (uint16);
    /// @notice The OPG token (this contract holds its MINTER_ROLE).
    function OPG() external view returns (address);
    /// @notice The only contract allowed to credit.
    function ESCROW() external view returns (address);
}
