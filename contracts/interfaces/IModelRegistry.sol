// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Verification modes a model version supports, as a bitmask: bit (1 << uint8(mode)).
/// @dev Shared by the whole protocol (escrow, staking, verifiers import it from here).
enum VerificationMode {
    Optimistic,
    TEE,
    ZK
}

/// @title IModelRegistry
/// @notice Registry of AI models published by researchers. A model (`modelId`, uint32, first is 1) is a
/// lineage of immutable versions (`version`, uint16, first is 1). Each version commits to its weights
/// (content hash of the weights file and one commitment per layer, used by fraud proofs), and fixes the
/// commercial terms a job on it runs under: price per job (wei), model-owner royalty (basis points,
/// 10_000 = 100%), and the verification modes it supports. After publication nothing about a version
/// changes except its deprecation flag; older versions stay addressable.
/// @dev Ownership of a model is two-step (`transferOwnership` then `acceptOwnership`); only the model owner
/// publishes versions and deprecates. `DEFAULT_ADMIN_ROLE` (governance) only sets `maxRoyaltyBps`.
interface IModelRegistry {
    // ---------------------------------------------------------------------------------------------
    // Structs
    // ---------------------------------------------------------------------------------------------

    /// @notice What a researcher supplies to publish a version (first version or a later one).
    /// @param weightsHash Content hash of the weights file (e.g. sha256 / keccak256 of the bytes); non-zero.
    /// @param layerCommitments One non-zero commitment per layer, in layer order (layer 0 first); non-empty.
    /// @param metadataURI Off-chain metadata (architecture, input/output schema, weights location).
    /// @param pricePerJob Price of one inference job, in wei of OPG; at most type(uint96).max.
    /// @param royaltyBps Share of each job fee paid to the model owner, in basis points; <= maxRoyaltyBps().
    /// @param modesMask Supported verification modes, bit (1 << uint8(VerificationMode)); non-zero, bits 0..2.
    /// @param verifier This version's circuit verifier: required (non-zero) when `modesMask` has the ZK bit, where it
    ///        is the EZKL verifier of the version's circuit (see `ZKVerifier`); optional otherwise.
    struct VersionParams {
        bytes32 weightsHash;
        bytes32[] layerCommitments;
        string metadataURI;
        uint256 pricePerJob;
        uint16 royaltyBps;
        uint8 modesMask;
        address verifier;
    }

    /// @notice A model (the lineage head), as returned by `getModel`.
    /// @param owner Current owner (manages the model, receives royalties).
    /// @param pendingOwner Proposed owner of an ongoing two-step transfer, address(0) if none.
    /// @param latestVersion Highest published version (versions are 1..latestVersion).
    /// @param deprecated True once the whole model is deprecated (all its versions refuse new jobs).
    /// @param registeredAt Unix time (seconds) of registration.
    struct ModelInfo {
        address owner;
        address pendingOwner;
        uint16 latestVersion;
        bool deprecated;
        uint64 registeredAt;
    }

    /// @notice A published version, as returned by `getVersion`.
    /// @param weightsHash Content hash of the weights file.
    /// @param verifier Optional verifier contract (address(0) if none).
    /// @param pricePerJob Price of one job, in wei of OPG.
    /// @param royaltyBps Model-owner royalty, in basis points.
    /// @param modesMask Supported verification modes bitmask.
    /// @param deprecated True if this version itself was deprecated (see also `ModelInfo.deprecated`).
    /// @param publishedAt Unix time (seconds) of publication.
    /// @param layerCount Number of per-layer commitments (read them with `layerCommitment`).
    /// @param metadataURI Off-chain metadata URI.
    struct VersionInfo {
        bytes32 weightsHash;
        address verifier;
        uint96 pricePerJob;
        uint16 royaltyBps;
        uint8 modesMask;
        bool deprecated;
        uint64 publishedAt;
        uint256 layerCount;
        string metadataURI;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice An address argument (the admin) was address(0).
    error ZeroAddress();
    /// @notice The weights hash of a version was zero.
    error ZeroWeightsHash();
    /// @notice A version was published without any layer commitment.
    error EmptyLayerCommitments();
    /// @notice The commitment of layer `layer` (0-based) was zero.
    error ZeroLayerCommitment(uint256 layer);
    /// @notice The royalty `royaltyBps` exceeds the protocol maximum `maxRoyaltyBps`.
    error RoyaltyAboveMax(uint16 royaltyBps, uint16 maxRoyaltyBps);
    /// @notice The new protocol maximum `maxRoyaltyBps` exceeds the hard cap `hardCapBps`.
    error MaxRoyaltyAboveHardCap(uint16 maxRoyaltyBps, uint16 hardCapBps);
    /// @notice The modes mask is zero or has bits outside 0..2.
    error InvalidModesMask(uint8 modesMask);
    /// @notice `modesMask` supports ZK but the version names no circuit verifier (VersionParams.verifier is zero).
    error ZkVerifierRequired(uint8 modesMask);
    /// @notice The price per job does not fit in uint96 (`max`).
    error PriceAboveMax(uint256 pricePerJob, uint256 max);
    /// @notice `caller` is not the owner of model `modelId`.
    error NotModelOwner(uint32 modelId, address caller);
    /// @notice `caller` is not the pending owner of model `modelId`.
    error NotPendingOwner(uint32 modelId, address caller);
    /// @notice Model `modelId` does not exist.
    error UnknownModel(uint32 modelId);
    /// @notice Version `version` of model `modelId` does not exist (or the model does not).
    error UnknownModelVersion(uint32 modelId, uint16 version);
    /// @notice Layer `layer` is out of range for a version with `layerCount` layers.
    error LayerOutOfRange(uint32 modelId, uint16 version, uint256 layer, uint256 layerCount);
    /// @notice Model `modelId` is deprecated (no new versions; cannot be deprecated twice).
    error ModelIsDeprecated(uint32 modelId);
    /// @notice Version `version` of model `modelId` is already deprecated.
    error VersionIsDeprecated(uint32 modelId, uint16 version);
    /// @notice Model `modelId` already has type(uint16).max versions.
    error TooManyVersions(uint32 modelId);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice Model `modelId` was registered by `owner`. Always followed by `VersionPublished` for version 1.
    event ModelRegistered(uint32 indexed modelId, address indexed owner, uint64 registeredAt);

    /// @notice Version `version` of model `modelId` was published with these immutable terms.
    /// @param layerCommitments One commitment per layer (layer 0 first); a watcher needs them for fraud proofs.
    /// @param pricePerJob Price of one job, in wei of OPG.
    /// @param royaltyBps Model-owner royalty, in basis points.
    event VersionPublished(
        uint32 indexed modelId,
        uint16 indexed version,
        bytes32 weightsHash,
        bytes32[] layerCommitments,
        string metadataURI,
        uint96 pricePerJob,
        uint16 royaltyBps,
        uint8 modesMask,
        address verifier
    );

    /// @notice Model `modelId` was deprecated: none of its versions accept new jobs. Irreversible.
    event ModelDeprecated(uint32 indexed modelId);

    /// @notice Version `version` of model `modelId` was deprecated: it accepts no new jobs. Irreversible.
    event VersionDeprecated(uint32 indexed modelId, uint16 indexed version);

    /// @notice The owner of `modelId` proposed `pendingOwner`; `pendingOwner == address(0)` cancels a proposal.
    event OwnershipTransferStarted(uint32 indexed modelId, address indexed owner, address indexed pendingOwner);

    /// @notice Ownership of `modelId` moved from `previousOwner` to `newOwner` (who accepted).
    event OwnershipTransferred(uint32 indexed modelId, address indexed previousOwner, address indexed newOwner);

    /// @notice Governance changed the protocol maximum royalty (basis points). Existing versions keep theirs.
    event MaxRoyaltyUpdated(uint16 previousBps, uint16 newBps);

    // ---------------------------------------------------------------------------------------------
    // Model owner actions
    // ---------------------------------------------------------------------------------------------

    /// @notice Registers a new model owned by the caller, with `params` as its version 1.
    /// @dev Reverts: ZeroWeightsHash, EmptyLayerCommitments, ZeroLayerCommitment(layer),
    /// RoyaltyAboveMax(royaltyBps, max), InvalidModesMask(mask), ZkVerifierRequired(mask), PriceAboveMax(price, max).
    /// Emits ModelRegistered then VersionPublished(modelId, 1, ...).
    /// @return modelId The new model's id (ids are sequential, first is 1).
    function registerModel(VersionParams calldata params) external returns (uint32 modelId);

    /// @notice Publishes the next version of model `modelId` (only the owner). Earlier versions are untouched.
    /// @dev Reverts: UnknownModel, NotModelOwner, ModelIsDeprecated, TooManyVersions, and the validation
    /// errors of `registerModel`. Emits VersionPublished.
    /// @return version The new version number (latestVersion + 1).
    function publishVersion(uint32 modelId, VersionParams calldata params) external returns (uint16 version);

    /// @notice Deprecates the whole model `modelId` (only the owner): no version accepts new jobs and no new
    /// version can be published. Jobs already running are unaffected. Irreversible.
    /// @dev Reverts: UnknownModel, NotModelOwner, ModelIsDeprecated. Emits ModelDeprecated.
    function deprecateModel(uint32 modelId) external;

    /// @notice Deprecates one version (only the model owner): it accepts no new jobs. Irreversible.
    /// @dev Reverts: UnknownModelVersion, NotModelOwner, VersionIsDeprecated. Emits VersionDeprecated.
    function deprecateVersion(uint32 modelId, uint16 version) external;

    /// @notice Step 1 of an ownership transfer (only the owner): proposes `newOwner`, replacing any earlier
    /// proposal. `newOwner == address(0)` cancels a pending transfer. The owner keeps control until accepted.
    /// @dev Reverts: UnknownModel, NotModelOwner. Emits OwnershipTransferStarted.
    function transferOwnership(uint32 modelId, address newOwner) external;

    /// @notice Step 2 of an ownership transfer: the pending owner accepts and becomes the owner.
    /// @dev Reverts: UnknownModel, NotPendingOwner. Emits OwnershipTransferred.
    function acceptOwnership(uint32 modelId) external;

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @notice Sets the protocol maximum royalty for versions published from now on (only DEFAULT_ADMIN_ROLE).
    /// @dev Reverts: AccessControlUnauthorizedAccount, MaxRoyaltyAboveHardCap. Emits MaxRoyaltyUpdated.
    /// @param newMaxRoyaltyBps New maximum, in basis points, <= ROYALTY_HARD_CAP_BPS().
    function setMaxRoyaltyBps(uint16 newMaxRoyaltyBps) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Terms a new job on (`modelId`, `version`) runs under. Hot path of the escrow: two storage reads.
    /// @dev Reverts UnknownModelVersion(modelId, version) if it does not exist.
    /// @return owner Model owner (royalty recipient).
    /// @return pricePerJob Price of one job, in wei of OPG.
    /// @return royaltyBps Model-owner royalty, in basis points.
    /// @return modesMask Supported verification modes bitmask.
    /// @return deprecated True if the version or the whole model is deprecated (refuse new jobs).
    function jobTerms(uint32 modelId, uint16 version)
        external
        view
        returns (address owner, uint96 pricePerJob, uint16 royaltyBps, uint8 modesMask, bool deprecated);

    /// @notice Whether model `modelId` exists (deprecated models still exist).
    /// @dev Returns true or reverts UnknownModel(modelId): usable as a require by callers.
    function modelExists(uint32 modelId) external view returns (bool);

    /// @notice Per-layer weight commitment `layer` (0-based) of a version (used by fraud proofs).
    /// @dev Reverts UnknownModelVersion, LayerOutOfRange(modelId, version, layer, layerCount).
    function layerCommitment(uint32 modelId, uint16 version, uint256 layer) external view returns (bytes32);

    /// @notice Verifier contract of a version (its EZKL circuit verifier for ZK; address(0) if none).
    /// @dev One storage read after the existence check: the ZK adapter's hot path. Reverts UnknownModelVersion.
    function verifierOf(uint32 modelId, uint16 version) external view returns (address);

    /// @notice The model `modelId`. Reverts UnknownModel.
    function getModel(uint32 modelId) external view returns (ModelInfo memory);

    /// @notice Version `version` of model `modelId`. Reverts UnknownModelVersion.
    function getVersion(uint32 modelId, uint16 version) external view returns (VersionInfo memory);

    /// @notice Highest published version of `modelId`. Reverts UnknownModel.
    function latestVersion(uint32 modelId) external view returns (uint16);

    /// @notice Number of registered models (= highest modelId).
    function modelCount() external view returns (uint32);

    /// @notice Current protocol maximum royalty, in basis points.
    function maxRoyaltyBps() external view returns (uint16);

    /// @notice Hard cap on `maxRoyaltyBps`, in basis points (5_000 = 50%).
    function ROYALTY_HARD_CAP_BPS() external view returns (uint16);
}
