"""ModelRegistry.registerModel: happy path, events, stored data, and every validation revert."""

import pytest

MAX_ROYALTY_BPS = 2_000  # the `registry` fixture's protocol maximum
UINT96_MAX = 2**96 - 1
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ZERO_HASH = b"\x00" * 32


def test_register_model__valid__assigns_id_1_and_stores_version_1(
    chain, registry, researcher, params, as_tuple
):
    p = params("a", layers=4, modesMask=0b111, verifier=researcher.address)
    receipt = registry.registerModel(as_tuple(p), sender=researcher)
    assert receipt.return_value == 1
    assert registry.modelCount() == 1
    assert registry.latestVersion(1) == 1
    assert registry.modelExists(1)

    model = registry.getModel(1)
    assert model.owner == researcher.address
    assert model.pendingOwner == ZERO_ADDRESS
    assert model.latestVersion == 1
    assert model.deprecated is False
    assert model.registeredAt == chain.blocks[receipt.block_number].timestamp

    v = registry.getVersion(1, 1)
    assert v.weightsHash == p["weightsHash"]
    assert v.verifier == researcher.address
    assert v.pricePerJob == p["pricePerJob"]
    assert v.royaltyBps == p["royaltyBps"]
    assert v.modesMask == 0b111
    assert v.deprecated is False
    assert v.publishedAt == model.registeredAt
    assert v.layerCount == 4
    assert v.metadataURI == p["metadataURI"]
    for layer in range(4):
        assert registry.layerCommitment(1, 1, layer) == p["layerCommitments"][layer]

    assert registry.jobTerms(1, 1) == (researcher.address, p["pricePerJob"], p["royaltyBps"], 0b111, False)


def test_register_model__valid__emits_model_registered_then_version_published(
    chain, registry, researcher, params, as_tuple
):
    p = params("a", layers=2, verifier=researcher.address)
    receipt = registry.registerModel(as_tuple(p), sender=researcher)
    timestamp = chain.blocks[receipt.block_number].timestamp
    names = [log.event_name for log in receipt.events]
    assert names == ["ModelRegistered", "VersionPublished"]

    registered = receipt.events[0]
    assert registered.modelId == 1
    assert registered.owner == researcher.address
    assert registered.registeredAt == timestamp

    published = receipt.events[1]
    assert published.modelId == 1
    assert published.version == 1
    assert published.weightsHash == p["weightsHash"]
    assert list(published.layerCommitments) == p["layerCommitments"]
    assert published.metadataURI == p["metadataURI"]
    assert published.pricePerJob == p["pricePerJob"]
    assert published.royaltyBps == p["royaltyBps"]
    assert published.modesMask == p["modesMask"]
    assert published.verifier == researcher.address


def test_register_model__second_model__gets_next_id_and_own_owner(
    registry, researcher, stranger, params, as_tuple
):
    registry.registerModel(as_tuple(params("a")), sender=researcher)
    receipt = registry.registerModel(as_tuple(params("b")), sender=stranger)
    assert receipt.return_value == 2
    assert registry.modelCount() == 2
    assert registry.getModel(2).owner == stranger.address
    assert registry.getModel(1).owner == researcher.address
    assert registry.getVersion(2, 1).weightsHash == params("b")["weightsHash"]


def test_register_model__boundary_values__accepted(registry, researcher, params, as_tuple):
    p = params("edge", layers=1, pricePerJob=UINT96_MAX, royaltyBps=MAX_ROYALTY_BPS, modesMask=0b100)
    registry.registerModel(as_tuple(p), sender=researcher)
    assert registry.jobTerms(1, 1) == (researcher.address, UINT96_MAX, MAX_ROYALTY_BPS, 0b100, False)
    assert registry.getVersion(1, 1).layerCount == 1


def test_register_model__free_model_without_royalty__accepted(registry, researcher, params, as_tuple):
    registry.registerModel(as_tuple(params("free", pricePerJob=0, royaltyBps=0)), sender=researcher)
    assert registry.jobTerms(1, 1) == (researcher.address, 0, 0, 0b011, False)


@pytest.mark.parametrize("mask", [1, 2, 3, 4, 5, 6, 7])
def test_register_model__each_valid_modes_mask__accepted(registry, researcher, params, as_tuple, mask):
    registry.registerModel(as_tuple(params("m", modesMask=mask)), sender=researcher)
    assert registry.jobTerms(1, 1).modesMask == mask


def test_register_model__zero_weights_hash__reverts(registry, researcher, params, as_tuple, reverts_with):
    with reverts_with(registry.ZeroWeightsHash):
        registry.registerModel(as_tuple(params("a", weightsHash=ZERO_HASH)), sender=researcher)


def test_register_model__no_layer_commitments__reverts(registry, researcher, params, as_tuple, reverts_with):
    with reverts_with(registry.EmptyLayerCommitments):
        registry.registerModel(as_tuple(params("a", layers=0)), sender=researcher)


def test_register_model__zero_layer_commitment__reverts_with_its_index(
    registry, researcher, params, as_tuple, reverts_with
):
    p = params("a", layers=3)
    p["layerCommitments"][1] = ZERO_HASH
    with reverts_with(registry.ZeroLayerCommitment, layer=1):
        registry.registerModel(as_tuple(p), sender=researcher)


def test_register_model__royalty_above_max__reverts(registry, researcher, params, as_tuple, reverts_with):
    royalty = MAX_ROYALTY_BPS + 1
    with reverts_with(registry.RoyaltyAboveMax, royaltyBps=royalty, maxRoyaltyBps=MAX_ROYALTY_BPS):
        registry.registerModel(as_tuple(params("a", royaltyBps=royalty)), sender=researcher)


@pytest.mark.parametrize("mask", [0, 8, 0x0F, 0xFF])
def test_register_model__bad_modes_mask__reverts(registry, researcher, params, as_tuple, reverts_with, mask):
    with reverts_with(registry.InvalidModesMask, modesMask=mask):
        registry.registerModel(as_tuple(params("a", modesMask=mask)), sender=researcher)


def test_register_model__price_above_uint96__reverts(registry, researcher, params, as_tuple, reverts_with):
    price = UINT96_MAX + 1
    with reverts_with(registry.PriceAboveMax, pricePerJob=price, max=UINT96_MAX):
        registry.registerModel(as_tuple(params("a", pricePerJob=price)), sender=researcher)


def test_register_model__reverted__leaves_model_count_unchanged(
    registry, researcher, params, as_tuple, reverts_with
):
    with reverts_with(registry.ZeroWeightsHash):
        registry.registerModel(as_tuple(params("a", weightsHash=ZERO_HASH)), sender=researcher)
    assert registry.modelCount() == 0
    registry.registerModel(as_tuple(params("a")), sender=researcher)
    assert registry.modelCount() == 1
