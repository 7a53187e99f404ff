"""ModelRegistry.publishVersion: lineage grows, earlier versions stay addressable and unchanged."""

from eth_utils import keccak

MAX_ROYALTY_BPS = 2_000  # the `registry` fixture's protocol maximum
ZERO_HASH = b"\x00" * 32
MODELS_MAPPING_SLOT = 1  # AccessControl._roles is slot 0, then _models


def test_publish_version__by_owner__appends_version_2(registry, model_id, researcher, params, as_tuple):
    before = registry.getVersion(model_id, 1)
    p = params("m1v2", layers=5, pricePerJob=3 * 10**16, royaltyBps=100, modesMask=0b100)
    receipt = registry.publishVersion(model_id, as_tuple(p), sender=researcher)
    assert receipt.return_value == 2
    assert registry.latestVersion(model_id) == 2
    assert registry.getModel(model_id).latestVersion == 2
    assert registry.modelCount() == 1  # no new model

    v2 = registry.getVersion(model_id, 2)
    assert (v2.weightsHash, v2.pricePerJob, v2.royaltyBps, v2.modesMask, v2.layerCount, v2.metadataURI) == (
        p["weightsHash"],
        p["pricePerJob"],
        100,
        0b100,
        5,
        p["metadataURI"],
    )
    assert registry.layerCommitment(model_id, 2, 4) == p["layerCommitments"][4]
    assert registry.jobTerms(model_id, 2) == (researcher.address, 3 * 10**16, 100, 0b100, False)
    # Version 1 untouched.
    assert registry.getVersion(model_id, 1) == before
    assert registry.layerCommitment(model_id, 1, 0) == params("m1")["layerCommitments"][0]


def test_publish_version__by_owner__emits_version_published(registry, model_id, researcher, params, as_tuple):
    p = params("m1v2", layers=2)
    receipt = registry.publishVersion(model_id, as_tuple(p), sender=researcher)
    assert [log.event_name for log in receipt.events] == ["VersionPublished"]
    log = receipt.events[0]
    assert (log.modelId, log.version, log.weightsHash) == (model_id, 2, p["weightsHash"])
    assert list(log.layerCommitments) == p["layerCommitments"]
    assert (log.metadataURI, log.pricePerJob, log.royaltyBps, log.modesMask, log.verifier) == (
        p["metadataURI"],
        p["pricePerJob"],
        p["royaltyBps"],
        p["modesMask"],
        p["verifier"],
    )


def test_publish_version__several__numbers_are_sequential(registry, model_id, researcher, params, as_tuple):
    for expected in (2, 3, 4):
        receipt = registry.publishVersion(model_id, as_tuple(params(f"v{expected}")), sender=researcher)
        assert receipt.return_value == expected
    assert registry.latestVersion(model_id) == 4
    for version in (2, 3, 4):
        assert registry.getVersion(model_id, version).weightsHash == params(f"v{version}")["weightsHash"]


def test_publish_version__by_stranger__reverts(registry, model_id, stranger, params, as_tuple, reverts_with):
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=stranger.address):
        registry.publishVersion(model_id, as_tuple(params("x")), sender=stranger)


def test_publish_version__unknown_model__reverts(
    registry, model_id, researcher, params, as_tuple, reverts_with
):
    with reverts_with(registry.UnknownModel, modelId=model_id + 1):
        registry.publishVersion(model_id + 1, as_tuple(params("x")), sender=researcher)


def test_publish_version__model_deprecated__reverts(
    registry, model_id, researcher, params, as_tuple, reverts_with
):
    registry.deprecateModel(model_id, sender=researcher)
    with reverts_with(registry.ModelIsDeprecated, modelId=model_id):
        registry.publishVersion(model_id, as_tuple(params("x")), sender=researcher)


def test_publish_version__invalid_params__reverts_with_same_validation(
    registry, model_id, researcher, params, as_tuple, reverts_with
):
    with reverts_with(registry.ZeroWeightsHash):
        registry.publishVersion(model_id, as_tuple(params("x", weightsHash=ZERO_HASH)), sender=researcher)
    with reverts_with(registry.EmptyLayerCommitments):
        registry.publishVersion(model_id, as_tuple(params("x", layers=0)), sender=researcher)
    with reverts_with(registry.RoyaltyAboveMax, royaltyBps=MAX_ROYALTY_BPS + 1):
        registry.publishVersion(
            model_id, as_tuple(params("x", royaltyBps=MAX_ROYALTY_BPS + 1)), sender=researcher
        )
    with reverts_with(registry.InvalidModesMask, modesMask=0):
        registry.publishVersion(model_id, as_tuple(params("x", modesMask=0)), sender=researcher)
    assert registry.latestVersion(model_id) == 1


def test_publish_version__at_uint16_max_versions__reverts(
    chain, registry, model_id, researcher, params, as_tuple, reverts_with
):
    # Publishing 65_535 versions is impractical; set the packed latestVersion field directly.
    key = model_id.to_bytes(32, "big") + MODELS_MAPPING_SLOT.to_bytes(32, "big")
    slot = int.from_bytes(keccak(key), "big")
    word = int.from_bytes(chain.provider.get_storage(registry.address, slot), "big")
    assert word & (2**160 - 1) == int(researcher.address, 16)  # owner: low 160 bits
    assert (word >> 160) & 0xFFFF == 1  # latestVersion: next 16 bits
    word |= 0xFFFF << 160
    chain.provider.set_storage(registry.address, slot, word.to_bytes(32, "big"))
    assert registry.latestVersion(model_id) == 2**16 - 1

    with reverts_with(registry.TooManyVersions, modelId=model_id):
        registry.publishVersion(model_id, as_tuple(params("x")), sender=researcher)
