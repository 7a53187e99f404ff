"""opg_client.zk.instances and the proof calldata: field elements <-> runtime integers, binding hashes."""

from __future__ import annotations

import pytest
from eth_abi import decode
from eth_utils import keccak

from opg_client.runtime import encode_vector
from opg_client.zk import FIELD_MODULUS, ZkError, felt_to_int, instances_hash, int_to_felt
from opg_client.zk.instances import parse_felt
from opg_client.zk.prover import ZkProof


@pytest.mark.parametrize("value", [0, 1, -1, 2**24 - 1, -(2**24) + 1, 2**31 - 1, -(2**31)])
def test_felt_to_int__int_to_felt_roundtrip__identity(value: int) -> None:
    assert felt_to_int(int_to_felt(value)) == value


@pytest.mark.parametrize("felt", [2**31, FIELD_MODULUS - 2**31 - 1, FIELD_MODULUS, 2**256 - 1, -1])
def test_felt_to_int__outside_int32__raises(felt: int) -> None:
    with pytest.raises(ZkError):
        felt_to_int(felt)


def test_parse_felt__little_endian_hex__value() -> None:
    assert parse_felt("13" + "00" * 31) == 0x13
    assert parse_felt("a9ffffef93f5e1439170b97948e833285d588181b64550b829a031e1724e6430") == FIELD_MODULUS - 88
    with pytest.raises(ZkError):
        parse_felt("13")


def test_instances_hash__signed_values__keccak_of_chain_encoding() -> None:
    values = [19, 162, -88, -25]
    assert instances_hash([int_to_felt(v) for v in values]) == keccak(encode_vector(values))


def test_zk_proof__calldata_and_views__encode_instances_and_split_input_output() -> None:
    felts = tuple(int_to_felt(v) for v in (1, -2, 3, -4, 5))
    proof = ZkProof(proof=b"\x01\x02", instances=felts, input_dim=2)
    assert proof.input == [1, -2]
    assert proof.output == [3, -4, 5]
    assert proof.output_bytes == encode_vector([3, -4, 5])
    raw, instances = decode(["bytes", "uint256[]"], proof.calldata())
    assert raw == b"\x01\x02" and tuple(instances) == felts
