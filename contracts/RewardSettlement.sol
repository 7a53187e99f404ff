// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IInferenceEscrow} from "./interfaces/IInferenceEscrow.sol";
import {IOPGToken} from "./interfaces/IOPGToken.sol";
import {IRewardSettlement} from "./interfaces/IRewardSettlement.sol";
import {IStakingDelegation} from "./interfaces/IStakingDelegation.sol";
import {EmissionMath} from "./libraries/EmissionMath.sol";
import {FeeSplit} from "./libraries/FeeSplit.sol";

/// @title RewardSettlement
/// @notice Fee split into pull balances, and epoch emissions minted at claim time.
/// @dev Gas layout: an account's claimable fee balance and its one pending (epoch, fees) record share a
///      slot; the current epoch's fee total, the treasury's accrued share and treasuryFeeBps share another.
///      A credit therefore touches three slots (globals, provider, model owner) and never creates one in
///      steady state. When an epoch rolls over, its fee total is saved once to `_closedEpochFees`.
///      Delegation: a provider whose staking pool has delegators carries a DELEGATED bit in its account
///      slot (set by the staking contract); only then does a credit or an emission fold call the staking
///      contract, which returns the delegators' parts; those are credited to the staking contract's own
///      account (fees to its claimable balance, emissions to its owed emissions), and it claims them like any
///      account to pay delegators.
contract RewardSettlement is IRewardSettlement, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @dev Claimable fee balance (wei) and fees (wei) earned in `pendingEpoch` (not yet folded).
    ///      Widths: claimable balances are backed by tokens (<= the OPG cap < 2^96), but fee *volume* is not (the
    ///      same tokens can be paid, claimed and paid again within an epoch), so the volume counters have room
    ///      for 2^16 (account) / 2^8 (epoch total) times the cap: overflowing them would make every finalize
    ///      of the epoch revert.
    ///      `pendingEpoch` also carries the DELEGATED flag in its top bit (see below).
    struct Account {
        uint112 claimableFees;
        uint112 pendingFees;
        uint32 pendingEpoch; // bits 0-30: the epoch; bit 31: DELEGATED
    }

    /// @dev Flag in Account.pendingEpoch: the provider's staking pool has delegators, so its credits pass the
    ///      delegators' part on. A bit rather than a fourth struct field: with a fourth field the optimizer no
    ///      longer merges the credit path's slot writes (+1.7k gas per finalize for every provider). Epoch
    ///      numbers stay below 2^31 (68 years of 1-second epochs).
    uint32 private constant DELEGATED = uint32(1) << 31;
    uint32 private constant EPOCH_MASK = DELEGATED - 1;

    /// @dev Fees (wei) credited in `epoch` (the latest epoch with a credit), treasury share accrued (wei),
    ///      treasury share of each fee (bps).
    struct Globals {
        uint104 epochFees;
        uint32 epoch;
        uint104 treasuryAccrued;
        uint16 treasuryFeeBps;
    }

    /// @inheritdoc IRewardSettlement
    uint16 public constant MAX_TREASURY_FEE_BPS = 2_000;
    /// @inheritdoc IRewardSettlement
    bytes32 public constant FEE_SOURCE_ROLE = keccak256("FEE_SOURCE_ROLE");

    /// @inheritdoc IRewardSettlement
    address public immutable OPG;
    /// @inheritdoc IRewardSettlement
    address public immutable ESCROW;
    /// @inheritdoc IRewardSettlement
    uint64 public immutable GENESIS_TIME;
    /// @inheritdoc IRewardSettlement
    uint64 public immutable EPOCH_LENGTH;
    /// @inheritdoc IRewardSettlement
    uint256 public immutable INITIAL_EMISSION;
    /// @inheritdoc IRewardSettlement
    uint16 public immutable DECAY_BPS;

    /// @dev OPGToken.MINTER_ROLE.
    bytes32 private constant _MINTER_ROLE = keccak256("MINTER_ROLE");

    Globals private _globals;
    address private _treasury;
    mapping(address account => Account) private _accounts;
    mapping(address account => uint256) private _owedEmissions; // wei, of closed epochs, not yet minted
    mapping(uint256 epoch => uint256) private _closedEpochFees; // wei

    /// @param opg The OPG token; grant this contract its MINTER_ROLE.
    /// @param escrow The InferenceEscrow (the only caller of creditFee / creditBalance). The escrow is
    ///        deployed after this contract, at this (predicted) address, and checks it in its constructor.
    /// @param admin Governance: DEFAULT_ADMIN_ROLE.
    /// @param treasury_ Receives the treasury share (claimTreasury).
    /// @param genesisTime Start of epoch 0, unix seconds, not in the future; 0 means now.
    /// @param epochLength Epoch length, seconds (> 0).
    /// @param initialEmission Emission of epoch 0, wei (<= the OPG cap).
    /// @param decayBps Per-epoch emission factor, bps (<= 10_000; e.g. 9_900 = -1% per epoch).
    /// @param treasuryFeeBps_ Treasury share of each fee, bps (<= MAX_TREASURY_FEE_BPS).
    constructor(
        address opg,
        address escrow,
        address admin,
        address treasury_,
        uint64 genesisTime,
        uint64 epochLength,
        uint256 initialEmission,
        uint16 decayBps,
        uint16 treasuryFeeBps_
    ) {
        if (opg == address(0) || escrow == address(0) || admin == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        uint64 genesis = genesisTime == 0 ? uint64(block.timestamp) : genesisTime;
        if (
            genesis > block.timestamp || epochLength == 0 || decayBps > EmissionMath.BPS
                || initialEmission > IOPGToken(opg).cap()
        ) revert InvalidSchedule(genesisTime, epochLength, initialEmission, decayBps);
        OPG = opg;
        ESCROW = escrow;
        GENESIS_TIME = genesis;
        EPOCH_LENGTH = epochLength;
        INITIAL_EMISSION = initialEmission;
        DECAY_BPS = decayBps;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        _setTreasuryFeeBps(treasuryFeeBps_);
    }

    // ---------------------------------------------------------------------------------------------
    // Escrow
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IRewardSettlement
    function creditFee(address provider, address modelOwner, uint16 royaltyBps, uint256 fee) external {
        _requireFeeSource();
        uint256 epoch = _epochNow();
        Globals memory g = _globals;
        if (g.epoch != epoch) {
            if (g.epochFees != 0) {
                _closedEpochFees[g.epoch] = g.epochFees;
                emit EpochClosed(g.epoch, g.epochFees);
            }
            g.epoch = uint32(epoch);
            g.epochFees = 0;
        }
        (uint256 providerShare, uint256 royalty, uint256 treasuryShare) =
            FeeSplit.split(fee, royaltyBps, g.treasuryFeeBps);
        g.epochFees += fee.toUint96();
        g.treasuryAccrued += uint96(treasuryShare); // <= fee
        _globals = g;

        Account memory acc = _accounts[provider];
        uint32 delegated = acc.pendingEpoch & DELEGATED;
        uint256 pendingEpoch = acc.pendingEpoch & EPOCH_MASK;
        if (pendingEpoch != epoch) {
            // The pending epoch has closed: fold its fees into owed emissions, start a new record.
            if (acc.pendingFees != 0) _accrue(provider, pendingEpoch, acc.pendingFees, g, delegated != 0);
            acc.pendingEpoch = uint32(epoch) | delegated;
            acc.pendingFees = 0;
        }
        acc.pendingFees += uint96(fee);
        acc.claimableFees += uint96(providerShare);
        _accounts[provider] = acc;
        // After the provider's write: the owner may be the provider.
        if (royalty != 0) _accounts[modelOwner].claimableFees += uint96(royalty);
        emit FeeCredited(provider, modelOwner, fee, providerShare, royalty, treasuryShare, epoch);
        // Only for a provider with delegators: their part moves on to the staking contract's account.
        if (delegated != 0) _passFeeToDelegators(provider, providerShare);
    }

    /// @inheritdoc IRewardSettlement
    function creditBalance(address account, uint256 amount) external {
        _requireFeeSource();
        _accounts[account].claimableFees += amount.toUint96();
        emit BalanceCredited(account, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Staking
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IRewardSettlement
    function setDelegated(address provider, bool delegated) external {
        if (msg.sender != _staking()) revert NotStaking(msg.sender);
        Account storage acc = _accounts[provider];
        acc.pendingEpoch = delegated ? acc.pendingEpoch | DELEGATED : acc.pendingEpoch & EPOCH_MASK;
        emit DelegationLinked(provider, delegated);
    }

    // ---------------------------------------------------------------------------------------------
    // Anyone
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IRewardSettlement
    function claim() external nonReentrant returns (uint256 fees, uint256 emissions) {
        Account memory acc = _accounts[msg.sender];
        uint256 pendingEpoch = acc.pendingEpoch & EPOCH_MASK;
        if (acc.pendingFees != 0 && pendingEpoch < _epochNow()) {
            _accrue(msg.sender, pendingEpoch, acc.pendingFees, _globals, acc.pendingEpoch & DELEGATED != 0);
            acc.pendingFees = 0;
        }
        fees = acc.claimableFees;
        acc.claimableFees = 0;
        _accounts[msg.sender] = acc;

        uint256 owed = _owedEmissions[msg.sender];
        IOPGToken opg = IOPGToken(OPG);
        uint256 room = opg.cap() - opg.totalSupply();
        emissions = owed < room ? owed : room; // never past the cap: the rest stays owed
        // Without the minter role (governance retired this contract) emissions stay owed and fees are still
        // paid: a failing mint must never lock an account's fees.
        if (emissions != 0 && !IAccessControl(OPG).hasRole(_MINTER_ROLE, address(this))) emissions = 0;
        if (emissions != 0) _owedEmissions[msg.sender] = owed - emissions;
        if (fees + emissions < 1) revert NothingToClaim(msg.sender);

        emit RewardsClaimed(msg.sender, fees, emissions);
        if (fees != 0) _pay(msg.sender, fees);
        if (emissions != 0) opg.mint(msg.sender, emissions);
    }

    /// @inheritdoc IRewardSettlement
    function claimTreasury() external nonReentrant returns (uint256 amount) {
        address treasury_ = _treasury;
        amount = _globals.treasuryAccrued;
        if (amount == 0) revert NothingToClaim(treasury_);
        _globals.treasuryAccrued = 0;
        emit TreasuryClaimed(treasury_, amount);
        _pay(treasury_, amount);
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IRewardSettlement
    function setTreasuryFeeBps(uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasuryFeeBps(bps);
    }

    /// @inheritdoc IRewardSettlement
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(newTreasury);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IRewardSettlement
    function currentEpoch() external view returns (uint256) {
        return _epochNow();
    }

    /// @inheritdoc IRewardSettlement
    function epochEmission(uint256 epoch) public view returns (uint256) {
        return EmissionMath.emissionAt(INITIAL_EMISSION, DECAY_BPS, epoch);
    }

    /// @inheritdoc IRewardSettlement
    function epochTotalFees(uint256 epoch) external view returns (uint256) {
        return _epochFees(epoch, _globals);
    }

    /// @inheritdoc IRewardSettlement
    function claimable(address account) external view returns (uint256 fees, uint256 emissions) {
        Account memory acc = _accounts[account];
        fees = acc.claimableFees;
        emissions = _owedEmissions[account];
        uint256 pendingEpoch = acc.pendingEpoch & EPOCH_MASK;
        if (acc.pendingFees != 0 && pendingEpoch < _epochNow()) {
            emissions += _emissionShare(pendingEpoch, acc.pendingFees, _globals);
        }
    }

    /// @inheritdoc IRewardSettlement
    function accountOf(address account)
        external
        view
        returns (uint256 claimableFees, uint256 pendingEpoch, uint256 pendingFees, uint256 owedEmissions)
    {
        Account memory acc = _accounts[account];
        return (acc.claimableFees, acc.pendingEpoch & EPOCH_MASK, acc.pendingFees, _owedEmissions[account]);
    }

    /// @inheritdoc IRewardSettlement
    function isDelegated(address provider) external view returns (bool) {
        return _accounts[provider].pendingEpoch & DELEGATED != 0;
    }

    /// @inheritdoc IRewardSettlement
    function treasuryAccrued() external view returns (uint256) {
        return _globals.treasuryAccrued;
    }

    /// @inheritdoc IRewardSettlement
    function treasuryFeeBps() external view returns (uint16) {
        return _globals.treasuryFeeBps;
    }

    /// @inheritdoc IRewardSettlement
    function treasury() external view returns (address) {
        return _treasury;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    /// @dev The escrow (immutable check, its hot path) or a FEE_SOURCE_ROLE holder (e.g. BatchSettlement).
    function _requireFeeSource() private view {
        if (msg.sender != ESCROW && !hasRole(FEE_SOURCE_ROLE, msg.sender)) revert NotEscrow(msg.sender);
    }

    function _epochNow() private view returns (uint256) {
        return (block.timestamp - GENESIS_TIME) / EPOCH_LENGTH;
    }

    /// @dev Fee total of `epoch`: still in the globals if it is the latest epoch with a credit.
    function _epochFees(uint256 epoch, Globals memory g) private view returns (uint256) {
        return epoch != g.epoch ? _closedEpochFees[epoch] : g.epochFees;
    }

    /// @dev `fees` (> 0, part of the epoch's total) * emission(epoch) / totalFees(epoch), rounded down.
    function _emissionShare(uint256 epoch, uint256 fees, Globals memory g) private view returns (uint256) {
        return Math.mulDiv(fees, epochEmission(epoch), _epochFees(epoch, g));
    }

    /// @dev Folds `account`'s fees of closed `epoch` into its owed emissions (less its delegators' part).
    function _accrue(address account, uint256 epoch, uint256 fees, Globals memory g, bool delegated) private {
        uint256 amount = _emissionShare(epoch, fees, g);
        uint256 kept = amount;
        if (delegated && amount != 0) {
            (, uint256 toPool) = _passToDelegators(account, 0, amount);
            kept -= toPool;
        }
        if (kept != 0) _owedEmissions[account] += kept;
        emit EmissionsAccrued(account, epoch, amount);
    }

    /// @dev Moves the delegators' part of `provider`'s fee share `providerShare` (wei, already credited to
    ///      the provider) to the staking contract's account.
    function _passFeeToDelegators(address provider, uint256 providerShare) private {
        (uint256 toPool,) = _passToDelegators(provider, providerShare, 0);
        if (toPool != 0) _accounts[provider].claimableFees -= uint96(toPool); // <= providerShare
    }

    /// @dev The staking contract (the escrow's): stakes, delegation pools, the `setDelegated` caller.
    function _staking() private view returns (address) {
        return IInferenceEscrow(ESCROW).STAKING();
    }

    /// @dev Asks staking for the delegators' parts of `provider`'s `fees` / `emissions` (wei) and credits
    ///      them to the staking contract's account (it pays delegators from there).
    function _passToDelegators(address provider, uint256 fees, uint256 emissions)
        private
        returns (uint256 feesToPool, uint256 emissionsToPool)
    {
        address staking = _staking();
        (feesToPool, emissionsToPool) = IStakingDelegation(staking).creditDelegators(provider, fees, emissions);
        if (feesToPool != 0) _accounts[staking].claimableFees += uint96(feesToPool); // <= fees
        if (emissionsToPool != 0) _owedEmissions[staking] += emissionsToPool; // <= emissions
    }

    /// @dev Transfers `amount` of fee tokens, first pulling settled fees from the escrow if needed.
    function _pay(address to, uint256 amount) private {
        IERC20 opg = IERC20(OPG);
        uint256 available = opg.balanceOf(address(this));
        if (available < amount) available += IInferenceEscrow(ESCROW).sweepSettled();
        // available >= amount by the invariant (credited balances are backed by settled fees).
        opg.safeTransfer(to, amount);
    }

    function _setTreasuryFeeBps(uint16 bps) private {
        if (bps > MAX_TREASURY_FEE_BPS) revert TreasuryFeeTooHigh(bps, MAX_TREASURY_FEE_BPS);
        uint16 old = _globals.treasuryFeeBps;
        _globals.treasuryFeeBps = bps;
        emit TreasuryFeeUpdated(old, bps);
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }
}
