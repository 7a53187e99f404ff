"""Gas of a one-layer fraud-proof step (commitment check + re-execution + output commitment) as a
transaction: measured and printed (run with -s), not asserted. The outcome of each transaction is checked."""

import random

import pytest
from eth_utils import keccak

from opg_client.runtime import (
    DenseLayer,
    dense_forward,
    encode_vector,
    layer_commitment,
    load_digits_model,
    trace,
    vector_commitment,
)
from opg_client.runtime.commit import encode_layer, encode_layer_operands

MODEL = load_digits_model()


def _random_layer(rows, cols, frac_bits, seed):
    rng = random.Random(seed)
    w = [rng.randint(-(2**16), 2**16) for _ in range(rows * cols)]  # |w| < 1 at F = 16
    b = [rng.randint(-(2**16), 2**16) for _ in range(rows)]
    x = [rng.randint(0, 2**16) for _ in range(cols)]
    return DenseLayer([w[i * cols : (i + 1) * cols] for i in range(rows)], b), x


def _cases():
    tr = trace(MODEL, [(i % 17) << 12 for i in range(64)])
    layer8, x8 = _random_layer(8, 8, 16, seed=8)
    return {
        "random 8x8": (layer8, x8, 16, True),
        "shipped layer 0 (32x64)": (MODEL.layers[0], [int(v) for v in tr.layer_input(0)], 16, True),
        "shipped layer 1 (10x32)": (MODEL.layers[1], [int(v) for v in tr.layer_input(1)], 16, False),
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_dense_layer_tx__layer__gas_measured_and_output_committed(harness, deployer, name):
    layer, x, frac_bits, relu = _cases()[name]
    commitment = keccak(encode_layer(layer, frac_bits, relu))
    if name.startswith("shipped layer 0"):
        assert commitment == layer_commitment(MODEL, 0)
    w, b = encode_layer_operands(layer)
    args = (commitment, w, b, layer.rows, layer.cols, frac_bits, relu, encode_vector(x))
    estimate = harness.denseLayerTx.estimate_gas_cost(*args, sender=deployer)
    receipt = harness.denseLayerTx(*args, sender=deployer)
    expected = vector_commitment(dense_forward(layer, x, frac_bits, relu))
    logs = list(receipt.decode_logs(harness.LayerExecuted))
    assert [log.outputCommitment for log in logs] == [expected]
    size = len(receipt.transaction.data)
    print(f"\n[gas] {name}: estimate_gas={estimate} gas_used={receipt.gas_used} calldata={size}B")
