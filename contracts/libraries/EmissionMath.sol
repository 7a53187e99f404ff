// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title EmissionMath
/// @notice Geometrically decaying emission schedule: emission(e) = initial * (decayBps / 10_000)^e.
/// @dev The power is computed in ray (1e27) fixed point by exponentiation by squaring: at most
///      log2(e) + 1 iterations (<= 256, in practice ~20), rounding down at each step (so the schedule never
///      over-emits). Stops early once the factor underflows to zero.
library EmissionMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant RAY = 1e27;
    uint256 private constant RAY_PER_BPS = 1e23; // RAY / BPS

    /// @notice Emission of epoch `epoch`, in the unit of `initial` (wei), for a per-epoch factor `decayBps`.
    function emissionAt(uint256 initial, uint16 decayBps, uint256 epoch) internal pure returns (uint256) {
        if (epoch == 0 || decayBps == BPS) return initial;
        return Math.mulDiv(initial, rpow(uint256(decayBps) * RAY_PER_BPS, epoch), RAY);
    }

    /// @notice `x^n` for a ray `x <= RAY`, in ray, rounded down.
    function rpow(uint256 x, uint256 n) internal pure returns (uint256 z) {
        z = RAY;
        while (n != 0) {
            if (n & 1 != 0) z = Math.mulDiv(z, x, RAY);
            n >>= 1;
            if (n != 0) {
                x = Math.mulDiv(x, x, RAY);
                if (x == 0) return 0; // a higher bit of n is set: z * 0
            }
        }
    }
}
