// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "../interfaces/IJobVerifier.sol";

/// @title TestVerifier
/// @notice Test helper: a verifier whose verdicts the test sets, recording what the escrow passed to it.
contract TestVerifier is IJobVerifier {
    bool public acceptProofs = true;
    bool public upholdChallenges;
    uint256 public calls;
    bytes32 public lastContextHash; // keccak256(abi.encode(job)) of the last call
    address public lastChallenger;
    bytes public lastData; // proof or evidence of the last call

    function setVerdicts(bool acceptProofs_, bool upholdChallenges_) external {
        acceptProofs = acceptProofs_;
        upholdChallenges = upholdChallenges_;
    }

    function verifyResult(JobContext calldata job, bytes calldata proof) external returns (bool) {
        _record(job, address(0), proof);
        return acceptProofs;
    }

    function judgeChallenge(JobContext calldata job, address challenger, bytes calldata evidence)
        external
        returns (bool)
    {
        _record(job, challenger, evidence);
        return upholdChallenges;
    }

    function _record(JobContext calldata job, address challenger, bytes calldata data) private {
        calls += 1;
        lastContextHash = keccak256(abi.encode(job));
        lastChallenger = challenger;
        lastData = data;
    }
}
