// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "../interfaces/IJobVerifier.sol";

/// @title ReentrantVerifier
/// @notice Attacker: a verifier that, when consulted, calls back into the escrow with a payload the test
///         chose (e.g. finalizeJob / cancelJob / expireJob / challengeResult) and bubbles up any revert.
contract ReentrantVerifier is IJobVerifier {
    address public immutable ESCROW;
    bytes public payload;
    bool public verdict = true;

    constructor(address escrow) {
        ESCROW = escrow;
    }

    function arm(bytes calldata payload_, bool verdict_) external {
        payload = payload_;
        verdict = verdict_;
    }

    function verifyResult(JobContext calldata, bytes calldata) external returns (bool) {
        _attack();
        return verdict;
    }

    function judgeChallenge(JobContext calldata, address, bytes calldata) external returns (bool) {
        _attack();
        return verdict;
    }

    function _attack() private {
        if (payload.length == 0) return;
        (bool ok, bytes memory ret) = ESCROW.call(payload);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
