"""ZKVerifier unit fixtures: a registry with model 1 = tiny model A (v1, circuit A) and v2 = tiny model B
(circuit B), both ZK; model 2 optimistic-only without a verifier; the adapter over that registry."""

import ape
import pytest
import zk_testkit
from ethpm_types import ContractType

ZK_MASK = 0b101  # optimistic + ZK


@pytest.fixture(scope="session")
def circuit_a():
    return zk_testkit.test_circuit(1)


@pytest.fixture(scope="session")
def circuit_b():
    return zk_testkit.test_circuit(2)


def deploy_circuit(deployer, test_circuit):
    ct = ContractType.model_validate(
        {
            "contractName": "OpgZkCircuit",
            "abi": test_circuit.artifact["abi"],
            "deploymentBytecode": {"bytecode": test_circuit.artifact["bytecode"]},
        }
    )
    return deployer.deploy(ape.contracts.ContractContainer(ct))


@pytest.fixture(scope="module")
def circuits(deployer, circuit_a, circuit_b):
    return deploy_circuit(deployer, circuit_a), deploy_circuit(deployer, circuit_b)


@pytest.fixture(scope="module")
def registry(project, deployer, researcher, circuits):
    reg = deployer.deploy(project.ModelRegistry, deployer, 2_000)
    layers = [b"\x22" * 32]
    reg.registerModel((b"\xa1" * 32, layers, "ipfs://a", 10**18, 500, ZK_MASK, circuits[0]), sender=researcher)
    reg.publishVersion(1, (b"\xb2" * 32, layers, "ipfs://b", 10**18, 500, ZK_MASK, circuits[1]), sender=researcher)
    reg.registerModel(
        (b"\xc3" * 32, layers, "ipfs://c", 10**18, 500, 1, ape.utils.ZERO_ADDRESS), sender=researcher
    )
    # model 3: ZK versions naming an account without code (v1) and a contract that is not a circuit (v2)
    reg.registerModel((b"\xd4" * 32, layers, "ipfs://d", 10**18, 500, ZK_MASK, researcher), sender=researcher)
    reg.publishVersion(3, (b"\xe5" * 32, layers, "ipfs://e", 10**18, 500, ZK_MASK, reg), sender=researcher)
    return reg


@pytest.fixture(scope="module")
def zk(project, deployer, registry):
    return deployer.deploy(project.ZKVerifier, registry)
