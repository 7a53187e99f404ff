// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OPGTimelock
/// @notice Protocol governance: every contract's DEFAULT_ADMIN_ROLE ends with this timelock, so parameter
///         changes (fee split, collateral terms, verifiers, royalty cap, minimum stake...) are scheduled in
///         public and executed no sooner than `minDelay` seconds later.
/// @dev A plain OpenZeppelin TimelockController; its own admin is renounced at construction when `admin`
///      is address(0), leaving the timelock self-administered.
contract OPGTimelock is TimelockController {
    /// @param minDelay Minimum delay in seconds between scheduling and executing an operation.
    /// @param proposers Accounts allowed to schedule (and cancel) operations.
    /// @param executors Accounts allowed to execute ready operations; [address(0)] lets anyone execute.
    /// @param admin Optional bootstrap admin (address(0) for none).
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
