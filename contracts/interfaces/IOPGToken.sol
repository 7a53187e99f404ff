// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IOPGToken
/// @notice The OPG token ("OPG Token" / "OPG", 18 decimals): ERC-20 with EIP-2612 permit, a hard-capped
/// supply of 1_000_000_000 OPG (1e27 wei), a genesis mint to the treasury at deployment, further minting
/// only by `MINTER_ROLE` (the settlement contract, for epoch emissions), and burning by any holder.
/// @dev Errors from OpenZeppelin apply as well: ERC20ExceededCap(increasedSupply, cap) past the cap,
/// AccessControlUnauthorizedAccount(account, role) for a non-minter, ERC2612ExpiredSignature(deadline),
/// ERC2612InvalidSigner(signer, owner), ERC20InsufficientBalance / ERC20InsufficientAllowance on burns.
interface IOPGToken is IERC20, IERC20Permit {
    /// @notice The constructor's genesis supply exceeds the cap.
    error GenesisSupplyAboveCap(uint256 genesisSupply, uint256 cap);
    /// @notice The constructor's admin was address(0).
    error ZeroAdmin();

    /// @notice Role allowed to `mint` (granted by the admin to the settlement contract).
    function MINTER_ROLE() external view returns (bytes32);

    /// @notice Hard cap on total supply, in wei (1_000_000_000e18).
    function cap() external view returns (uint256);

    /// @notice Mints `amount` wei of OPG to `to` (only MINTER_ROLE).
    /// @dev Reverts AccessControlUnauthorizedAccount (not minter), ERC20ExceededCap (past `cap()`),
    /// ERC20InvalidReceiver (to == address(0)). Emits Transfer(address(0), to, amount).
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` wei of the caller's OPG (total supply drops). Emits Transfer(caller, 0, amount).
    function burn(uint256 amount) external;

    /// @notice Burns `amount` wei of `account`'s OPG using the caller's allowance. Emits Transfer(account, 0, amount).
    function burnFrom(address account, uint256 amount) external;
}
