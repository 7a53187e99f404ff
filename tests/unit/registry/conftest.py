"""Fixtures for the ModelRegistry unit tests."""

from contextlib import contextmanager

import ape
import pytest
from eth_abi import decode
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

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


@contextmanager
def _reverts_with(error_cls, **inputs):
    """`ape.reverts` that also fails if a *different* error (or a plain revert) was raised, and if an
    expected input name does not exist on the error (ape silently skips unknown names)."""
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    assert isinstance(info.value, error_cls), f"expected {error_cls.__name__}, got {info.value!r}"
    for name, expected in inputs.items():
        assert name in info.value.inputs, f"{error_cls.__name__} has no input {name!r}"
        assert info.value.inputs[name] == expected


@contextmanager
def _deploy_reverts_with(container, error_name, **inputs):
    """Like `_reverts_with` for a constructor revert, which ape leaves undecoded: matches the selector of
    `error_name` from the contract's ABI and decodes its arguments."""
    abi = next(e for e in container.contract_type.errors if e.name == error_name)
    with ape.reverts() as info:
        yield info
    data = HexBytes(info.value.revert_message)
    assert data[:4] == keccak(text=abi.selector)[:4], f"expected {error_name}, got {data.hex()}"
    types = [ipt.canonical_type for ipt in abi.inputs]
    values = dict(zip([ipt.name for ipt in abi.inputs], decode(types, data[4:]), strict=True))
    for name, expected in inputs.items():
        assert name in values, f"{error_name} has no input {name!r}"
        actual = values[name]
        if isinstance(actual, str) and actual.startswith("0x") and len(actual) == 42:
            actual = to_checksum_address(actual)
        assert actual == expected, f"{name}: expected {expected!r}, got {actual!r}"


@pytest.fixture
def reverts_with():
    return _reverts_with


@pytest.fixture
def deploy_reverts_with():
    return _deploy_reverts_with


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
