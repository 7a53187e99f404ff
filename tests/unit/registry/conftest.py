"""Fixtures for the ModelRegistry unit tests."""


import pytest
from eth_utils import keccak

MAX_ROYALTY_BPS = 2_000  # the `registry` fixture's protocol maximum
PARAM_FIELDS = (
    "weightsHash",
    "layerCommitments",
    "metadataURI",
    "pricePerJob",
    "royaltyBps",
    "modesMask",
    "verifier",
)
ZK_BIT = 0b100
#: Placeholder circuit verifier for ZK-capable versions (the registry stores it, never calls it).
CIRCUIT_VERIFIER = "0x000000000000000000000000000000000000dEaD"


def _params(tag="model", layers=3, **overrides):
    """VersionParams as a dict; `tag` makes hashes distinct per call site."""
    values = {
        "weightsHash": keccak(text=f"{tag}/weights"),
        "layerCommitments": [keccak(text=f"{tag}/layer/{i}") for i in range(layers)],
        "metadataURI": f"ipfs://{tag}",
        "pricePerJob": 10**16,  # 0.01 OPG
        "royaltyBps": 500,
        "modesMask": 0b011,  # Optimistic | TEE
        "verifier": "0x0000000000000000000000000000000000000000",
    }
    unknown = set(overrides) - set(values)
    assert not unknown, f"unknown VersionParams fields {unknown}"
    values.update(overrides)
    if values["modesMask"] & ZK_BIT and "verifier" not in overrides:
        values["verifier"] = CIRCUIT_VERIFIER  # ZK versions must name one
    return values


@pytest.fixture(scope="session")
def params():
    """Factory: `params(tag, layers=3, **overrides)` -> VersionParams dict."""
    return _params


@pytest.fixture(scope="session")
def as_tuple():
    """VersionParams dict -> ABI tuple (field order of the Solidity struct)."""

    def convert(values):
        return tuple(values[f] for f in PARAM_FIELDS)

    return convert


@pytest.fixture(scope="module")
def registry(project, deployer):
    return deployer.deploy(project.ModelRegistry, deployer, MAX_ROYALTY_BPS)


@pytest.fixture(scope="module")
def model_id(registry, researcher):
    """Model 1, registered by `researcher` with `_params("m1")` as version 1."""
    registry.registerModel(tuple(_params("m1")[f] for f in PARAM_FIELDS), sender=researcher)
    return 1
