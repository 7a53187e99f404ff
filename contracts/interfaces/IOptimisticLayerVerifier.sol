// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "./IJobVerifier.sol";

/// @title IOptimisticLayerVerifier
/// @notice The optimistic Proof-of-Inference judge: a stateless, one-round fraud-proof verdict on an
/// optimistic result (docs/protocol.md, "Proof of Inference: optimistic"). A result carries a trace root:
/// keccak256 of the concatenated commitments `c_1 .. c_L` to every layer's output (docs/runtime.md §6).
/// A challenger's evidence either
///  - names one layer `k` and opens the trace (`LayerProof`): the verifier re-executes that single layer
///    from calldata (weights checked against the registry's layer commitment, input against `c_k`, with
///    `c_0` = the job's inputHash) and compares with `c_{k+1}`; or
///  - re-executes the whole model (`FullProof`, for a trace the challenger cannot open): every layer checked
///    against the registry, the input against inputHash; the recomputed trace root and output are compared.
/// @dev Evidence bytes = one kind byte (`EvidenceKind`) followed by `abi.encode(LayerProof)` or
/// `abi.encode(FullProof)`. Any caller may ask for a verdict (`judgeChallenge` / `rule` hold no state and
/// move no funds). Malformed evidence is a ruling (the challenger loses), never a revert; the only revert is
/// `RulingOutOfGas`, so a gas estimate can never buy a cheaper, wrong verdict.
interface IOptimisticLayerVerifier is IJobVerifier {
    /// @notice What the evidence bytes hold after the kind byte.
    enum EvidenceKind {
        Layer,
        Full
    }

    /// @notice The verdict and why. Provider at fault: `TraceLengthMismatch`, `OutputNotInTrace`,
    /// `InvalidLayerInput`, `ActivationOverflow`, `WrongLayerOutput`, `WrongResult`. Everything else
    /// rejects the challenge (the challenger's bond is forfeited).
    enum Ruling {
        MalformedEvidence, // undecodable, unknown kind, or named layer >= layer count
        NotOptimistic, // the job is not an optimistic job
        TraceNotOpened, // the supplied trace does not hash to the job's trace root
        ForgedWeights, // the layer's weights / shape / fracBits / relu do not match the registry commitment
        ForgedInput, // the supplied layer input does not match c_k (inputHash for layer 0)
        InvalidRegisteredLayer, // the registered layer itself fails the range / shape checks
        LayerCorrect, // the named layer's committed output is right for its committed input
        ResultCorrect, // full re-execution reproduces the trace root and the output
        TraceLengthMismatch, // the provider's trace has a different number of layers than the model
        OutputNotInTrace, // the trace's last commitment is not the submitted output's hash
        InvalidLayerInput, // the provider's committed input to the layer is not a valid vector
        ActivationOverflow, // the layer overflows |y| < 2**24 on the provider's committed input
        WrongLayerOutput, // the named layer's output differs from the provider's c_{k+1}
        WrongResult // full re-execution gives another trace root or output
    }

    /// @notice One layer's operands, packed int32 (docs/runtime.md §5).
    struct LayerData {
        bytes weights; // rows * cols entries, row-major
        bytes bias; // rows entries
        uint256 rows;
        uint256 cols;
        uint256 fracBits;
    }

    /// @notice One-layer fraud proof: the first layer the challenger disputes.
    struct LayerProof {
        uint256 layer; // k, 0-based
        bytes32[] trace; // the provider's c_1 .. c_L (must hash to the job's trace root)
        LayerData data; // layer k (relu = k < L - 1)
        bytes input; // layer k's input vector, packed (keccak256 = c_k; c_0 = inputHash)
    }

    /// @notice Full re-execution proof.
    struct FullProof {
        bytes input; // the job's input bytes (keccak256 = inputHash)
        LayerData[] layers; // every layer, 0 first
    }

    /// @notice The ruling ran out of gas in its inner call: send the challenge with more gas.
    error RulingOutOfGas(uint256 gasLeft);

    /// @notice A constructor address argument was zero.
    error ZeroRegistry();

    /// @notice The ruling on `evidence` against `job`, with its reason (eth_call it before challenging).
    /// `judgeChallenge` returns true exactly for the provider-at-fault rulings.
    function rule(JobContext calldata job, bytes calldata evidence) external view returns (Ruling);

    /// @notice Inner step of `rule` (a self-call, so a revert in decoding is a ruling): a one-layer proof.
    function ruleLayer(JobContext calldata job, LayerProof calldata proof) external view returns (Ruling);

    /// @notice Inner step of `rule`: a full re-execution proof.
    function ruleFull(JobContext calldata job, FullProof calldata proof) external view returns (Ruling);

    /// @notice `FixedPointLayer.denseLayer` as an external call (so its reverts can be caught): the packed
    /// output of layer `layer`.
    function execute(uint256 layer, LayerData calldata data, bool relu, bytes calldata x)
        external
        pure
        returns (bytes memory y);

    /// @notice The trace root: keccak256 of the concatenated layer output commitments (docs/runtime.md §6.1a).
    function traceRoot(bytes32[] calldata layerOutputs) external pure returns (bytes32);

    /// @notice The model registry whose layer commitments pin the weights.
    function REGISTRY() external view returns (address);
}
