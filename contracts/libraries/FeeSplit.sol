// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title FeeSplit
/// @notice Splits a job fee (wei) into model-owner royalty, treasury share and provider share.
/// @dev Royalty and treasury shares round down; the provider receives the remainder, so the three parts
///      always sum to the fee exactly. Requires royaltyBps + treasuryBps <= 10_000 (guaranteed by the
///      registry's royalty hard cap (50%) and the settlement's treasury cap (20%)).
library FeeSplit {
    uint256 internal constant BPS = 10_000;

    /// @return providerShare fee - royalty - treasuryShare.
    /// @return royalty fee * royaltyBps / 10_000.
    /// @return treasuryShare fee * treasuryBps / 10_000.
    function split(uint256 fee, uint256 royaltyBps, uint256 treasuryBps)
        internal
        pure
        returns (uint256 providerShare, uint256 royalty, uint256 treasuryShare)
    {
        royalty = (fee * royaltyBps) / BPS;
        treasuryShare = (fee * treasuryBps) / BPS;
        providerShare = fee - royalty - treasuryShare;
    }
}
