"""ModelRegistry and ZK: a ZK-capable version must name its circuit verifier; `verifierOf` returns it."""

import pytest

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


@pytest.mark.parametrize("mask", [0b100, 0b101, 0b110, 0b111])
def test_register_model__zk_mask_without_verifier__reverts(
    registry, researcher, params, as_tuple, reverts_with, mask
):
    with reverts_with(registry.ZkVerifierRequired, modesMask=mask):
        registry.registerModel(as_tuple(params("zk", modesMask=mask, verifier=ZERO_ADDRESS)), sender=researcher)
    assert registry.modelCount() == 0


def test_publish_version__zk_mask_without_verifier__reverts(
    registry, model_id, researcher, params, as_tuple, reverts_with
):
    with reverts_with(registry.ZkVerifierRequired, modesMask=0b100):
        registry.publishVersion(
            model_id, as_tuple(params("zk2", modesMask=0b100, verifier=ZERO_ADDRESS)), sender=researcher
        )
    assert registry.latestVersion(model_id) == 1


def test_register_model__non_zk_mask_without_verifier__accepted(registry, researcher, params, as_tuple):
    registry.registerModel(as_tuple(params("opt", modesMask=0b011, verifier=ZERO_ADDRESS)), sender=researcher)
    assert registry.verifierOf(1, 1) == ZERO_ADDRESS


def test_verifier_of__per_version__returns_that_versions_verifier(
    registry, model_id, researcher, stranger, params, as_tuple
):
    registry.publishVersion(
        model_id, as_tuple(params("v2", modesMask=0b100, verifier=stranger.address)), sender=researcher
    )
    assert registry.verifierOf(model_id, 1) == ZERO_ADDRESS
    assert registry.verifierOf(model_id, 2) == stranger.address
    assert registry.getVersion(model_id, 2).verifier == stranger.address


@pytest.mark.parametrize("version", [0, 2])
def test_verifier_of__unknown_version__reverts(registry, model_id, stranger, reverts_with, version):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=version):
        registry.verifierOf.transact(model_id, version, sender=stranger)
