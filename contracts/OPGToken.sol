// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IOPGToken} from "./interfaces/IOPGToken.sol";

/// @title OPGToken
/// @notice The OPG token: ERC-20 + EIP-2612 permit, hard cap 1_000_000_000 OPG, genesis mint to the
/// treasury, minting by MINTER_ROLE only, burnable by holders.
contract OPGToken is ERC20, ERC20Permit, ERC20Capped, ERC20Burnable, AccessControl, IOPGToken {
    /// @inheritdoc IOPGToken
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Hard cap on total supply, in wei: 1_000_000_000 OPG.
    uint256 public constant MAX_SUPPLY = 1_000_000_000e18;

    /// @param admin Receives DEFAULT_ADMIN_ROLE (governance; grants MINTER_ROLE to the settlement contract).
    /// @param treasury Receives the genesis supply.
    /// @param genesisSupply Amount minted to `treasury` at deployment, in wei; at most MAX_SUPPLY.
    constructor(address admin, address treasury, uint256 genesisSupply)
        ERC20("OPG Token", "OPG")
        ERC20Permit("OPG Token")
        ERC20Capped(MAX_SUPPLY)
    {
        if (admin == address(0)) revert ZeroAdmin();
        if (genesisSupply > MAX_SUPPLY) revert GenesisSupplyAboveCap(genesisSupply, MAX_SUPPLY);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (genesisSupply != 0) _mint(treasury, genesisSupply);
    }

    /// @inheritdoc IOPGToken
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @inheritdoc IOPGToken
    function cap() public view override(IOPGToken, ERC20Capped) returns (uint256) {
        return super.cap();
    }

    /// @inheritdoc IOPGToken
    function burn(uint256 amount) public override(IOPGToken, ERC20Burnable) {
        super.burn(amount);
    }

    /// @inheritdoc IOPGToken
    function burnFrom(address account, uint256 amount) public override(IOPGToken, ERC20Burnable) {
        super.burnFrom(account, amount);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev Cap enforcement (ERC20Capped) on every mint.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped) {
        super._update(from, to, value);
    }
}
