// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";

/// @title ModelRegistry
/// @notice Models, immutable versions and their lineage, deprecation, and two-step model ownership.
/// @dev Storage is laid out for the escrow's hot path: `jobTerms` reads exactly two slots, slot 0 of the
/// model (owner, latestVersion, deprecated) and slot 0 of the version (price, royalty, modes, deprecated).
contract ModelRegistry is AccessControl, IModelRegistry {
    /// @inheritdoc IModelRegistry
    uint16 public constant ROYALTY_HARD_CAP_BPS = 5_000;

    /// @dev Every defined VerificationMode bit: Optimistic | TEE | ZK.
    uint8 private constant _ALL_MODES_MASK = 0x07;
    /// @dev The ZK bit: 1 << uint8(VerificationMode.ZK).
    uint8 private constant _ZK_MODE_BIT = 0x04;

    struct Model {
        // slot 0 (read by jobTerms)
        address owner;
        uint16 latestVersion; // 0 <=> the model does not exist
        bool deprecated;
        uint64 registeredAt; // unix seconds
        // slot 1
        address pendingOwner;
    }

    struct Version {
        // slot 0 (read by jobTerms): 96 + 16 + 8 + 8 + 64 = 192 bits
        uint96 pricePerJob; // wei
        uint16 royaltyBps;
        uint8 modesMask;
        bool deprecated;
        uint64 publishedAt; // unix seconds
        // slot 1
        address verifier;
        // slot 2
        bytes32 weightsHash;
        // slot 3
        string metadataURI;
        // slot 4
        bytes32[] layerCommitments;
    }

    mapping(uint32 modelId => Model) private _models;
    mapping(uint32 modelId => mapping(uint16 version => Version)) private _versions;
    uint32 private _modelCount;
    uint16 private _maxRoyaltyBps;

    /// @param admin Receives DEFAULT_ADMIN_ROLE (governance: sets the maximum royalty).
    /// @param maxRoyaltyBps_ Initial protocol maximum royalty, in basis points, <= ROYALTY_HARD_CAP_BPS.
    constructor(address admin, uint16 maxRoyaltyBps_) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setMaxRoyaltyBps(maxRoyaltyBps_);
    }

    // ---------------------------------------------------------------------------------------------
    // Model owner actions
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function registerModel(VersionParams calldata params) external returns (uint32 modelId) {
        modelId = ++_modelCount;
        Model storage model = _models[modelId];
        model.owner = msg.sender;
        model.latestVersion = 1;
        model.registeredAt = uint64(block.timestamp);
        emit ModelRegistered(modelId, msg.sender, uint64(block.timestamp));
        _publish(modelId, 1, params);
    }

    /// @inheritdoc IModelRegistry
    function publishVersion(uint32 modelId, VersionParams calldata params) external returns (uint16 version) {
        Model storage model = _ownedModel(modelId);
        if (model.deprecated) revert ModelIsDeprecated(modelId);
        if (model.latestVersion == type(uint16).max) revert TooManyVersions(modelId);
        version = model.latestVersion + 1;
        model.latestVersion = version;
        _publish(modelId, version, params);
    }

    /// @inheritdoc IModelRegistry
    function deprecateModel(uint32 modelId) external {
        Model storage model = _ownedModel(modelId);
        if (model.deprecated) revert ModelIsDeprecated(modelId);
        model.deprecated = true;
        emit ModelDeprecated(modelId);
    }

    /// @inheritdoc IModelRegistry
    function deprecateVersion(uint32 modelId, uint16 version) external {
        Version storage v = _existingVersion(modelId, version);
        if (_models[modelId].owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        if (v.deprecated) revert VersionIsDeprecated(modelId, version);
        v.deprecated = true;
        emit VersionDeprecated(modelId, version);
    }

    /// @inheritdoc IModelRegistry
    function transferOwnership(uint32 modelId, address newOwner) external {
        Model storage model = _ownedModel(modelId);
        model.pendingOwner = newOwner;
        emit OwnershipTransferStarted(modelId, msg.sender, newOwner);
    }

    /// @inheritdoc IModelRegistry
    function acceptOwnership(uint32 modelId) external {
        Model storage model = _existingModel(modelId);
        if (model.pendingOwner != msg.sender) revert NotPendingOwner(modelId, msg.sender);
        address previousOwner = model.owner;
        model.owner = msg.sender;
        delete model.pendingOwner;
        emit OwnershipTransferred(modelId, previousOwner, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function setMaxRoyaltyBps(uint16 newMaxRoyaltyBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxRoyaltyBps(newMaxRoyaltyBps);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function jobTerms(uint32 modelId, uint16 version)
        external
        view
        returns (address owner, uint96 pricePerJob, uint16 royaltyBps, uint8 modesMask, bool deprecated)
    {
        Model storage model = _models[modelId];
        // One SLOAD: owner, latestVersion and deprecated share slot 0.
        (address modelOwner, uint16 latest, bool modelDeprecated) =
            (model.owner, model.latestVersion, model.deprecated);
        if (version == 0 || version > latest) revert UnknownModelVersion(modelId, version);
        // One SLOAD: the version's terms share slot 0.
        Version storage v = _versions[modelId][version];
        return (modelOwner, v.pricePerJob, v.royaltyBps, v.modesMask, v.deprecated || modelDeprecated);
    }

    /// @inheritdoc IModelRegistry
    function modelExists(uint32 modelId) external view returns (bool) {
        _existingModel(modelId);
        return true;
    }

    /// @inheritdoc IModelRegistry
    function layerCommitment(uint32 modelId, uint16 version, uint256 layer) external view returns (bytes32) {
        bytes32[] storage commitments = _existingVersion(modelId, version).layerCommitments;
        if (layer >= commitments.length) {
            revert LayerOutOfRange(modelId, version, layer, commitments.length);
        }
        return commitments[layer];
    }

    /// @inheritdoc IModelRegistry
    function verifierOf(uint32 modelId, uint16 version) external view returns (address) {
        return _existingVersion(modelId, version).verifier;
    }

    /// @inheritdoc IModelRegistry
    function getModel(uint32 modelId) external view returns (ModelInfo memory) {
        Model storage model = _existingModel(modelId);
        return ModelInfo({
            owner: model.owner,
            pendingOwner: model.pendingOwner,
            latestVersion: model.latestVersion,
            deprecated: model.deprecated,
            registeredAt: model.registeredAt
        });
    }

    /// @inheritdoc IModelRegistry
    function getVersion(uint32 modelId, uint16 version) external view returns (VersionInfo memory) {
        Version storage v = _existingVersion(modelId, version);
        return VersionInfo({
            weightsHash: v.weightsHash,
            verifier: v.verifier,
            pricePerJob: v.pricePerJob,
            royaltyBps: v.royaltyBps,
            modesMask: v.modesMask,
            deprecated: v.deprecated,
            publishedAt: v.publishedAt,
            layerCount: v.layerCommitments.length,
            metadataURI: v.metadataURI
        });
    }

    /// @inheritdoc IModelRegistry
    function latestVersion(uint32 modelId) external view returns (uint16) {
        return _existingModel(modelId).latestVersion;
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint32) {
        return _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function maxRoyaltyBps() external view returns (uint16) {
        return _maxRoyaltyBps;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    /// @dev Validates `params` and stores them as (`modelId`, `version`). The caller has already
    /// reserved `version` (model.latestVersion == version).
    function _publish(uint32 modelId, uint16 version, VersionParams calldata params) private {
        uint96 price = _validate(params);
        Version storage v = _versions[modelId][version];
        v.pricePerJob = price;
        v.royaltyBps = params.royaltyBps;
        v.modesMask = params.modesMask;
        v.publishedAt = uint64(block.timestamp);
        v.verifier = params.verifier;
        v.weightsHash = params.weightsHash;
        v.metadataURI = params.metadataURI;
        v.layerCommitments = params.layerCommitments;
        emit VersionPublished(
            modelId,
            version,
            params.weightsHash,
            params.layerCommitments,
            params.metadataURI,
            price,
            params.royaltyBps,
            params.modesMask,
            params.verifier
        );
    }

    /// @dev Reverts with the first violated rule; returns the price packed to uint96.
    function _validate(VersionParams calldata params) private view returns (uint96) {
        if (params.weightsHash == bytes32(0)) revert ZeroWeightsHash();
        uint256 layers = params.layerCommitments.length;
        if (layers == 0) revert EmptyLayerCommitments();
        for (uint256 i; i < layers; ++i) {
            // Bounded by the caller's own calldata (they pay for storing each entry anyway).
            if (params.layerCommitments[i] == bytes32(0)) revert ZeroLayerCommitment(i);
        }
        uint16 maxRoyalty = _maxRoyaltyBps;
        if (params.royaltyBps > maxRoyalty) revert RoyaltyAboveMax(params.royaltyBps, maxRoyalty);
        if (params.modesMask == 0 || params.modesMask & ~_ALL_MODES_MASK != 0) {
            revert InvalidModesMask(params.modesMask);
        }
        if (params.modesMask & _ZK_MODE_BIT != 0 && params.verifier == address(0)) {
            revert ZkVerifierRequired(params.modesMask);
        }
        if (params.pricePerJob > type(uint96).max) revert PriceAboveMax(params.pricePerJob, type(uint96).max);
        return uint96(params.pricePerJob);
    }

    function _setMaxRoyaltyBps(uint16 newMaxRoyaltyBps) private {
        if (newMaxRoyaltyBps > ROYALTY_HARD_CAP_BPS) {
            revert MaxRoyaltyAboveHardCap(newMaxRoyaltyBps, ROYALTY_HARD_CAP_BPS);
        }
        uint16 previous = _maxRoyaltyBps;
        _maxRoyaltyBps = newMaxRoyaltyBps;
        emit MaxRoyaltyUpdated(previous, newMaxRoyaltyBps);
    }

    function _existingModel(uint32 modelId) private view returns (Model storage model) {
        model = _models[modelId];
        if (model.latestVersion == 0) revert UnknownModel(modelId);
    }

    /// @dev The existing model `modelId` whose owner is the caller.
    function _ownedModel(uint32 modelId) private view returns (Model storage model) {
        model = _existingModel(modelId);
        if (model.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
    }

    function _existingVersion(uint32 modelId, uint16 version) private view returns (Version storage) {
        if (version == 0 || version > _models[modelId].latestVersion) {
            revert UnknownModelVersion(modelId, version);
        }
        return _versions[modelId][version];
    }
}
