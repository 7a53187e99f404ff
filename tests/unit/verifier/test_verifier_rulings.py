"""OptimisticLayerVerifier rulings (eth_call of `rule` / `judgeChallenge` on crafted job contexts): every
ruling of docs/protocol.md "Proof of Inference: optimistic", on the shipped digits model."""

import pytest
from eth_utils import keccak
from fraud_helpers import MODEL, TEE, Result, cheated_result, context, honest_result, root

from opg_client.fraud import Ruling, encode_layer_evidence, layer_outputs
from opg_client.runtime import DenseLayer, Model, encode_vector


@pytest.fixture
def ctx(world, requester, provider):
    def build(result, **kw):
        return context(1, requester, provider, world["model_id"], result, **kw)

    return build


def rule(world, context_, evidence) -> Ruling:
    return Ruling(world["verifier"].rule(context_, evidence))


def judge(world, context_, evidence, challenger) -> bool:
    return bool(world["verifier"].judgeChallenge(context_, challenger, evidence))


@pytest.mark.parametrize("k", [0, 1])
def test_rule__honest_result_any_layer__layer_correct(world, ctx, watcher, k):
    r = honest_result()
    assert rule(world, ctx(r), r.layer_evidence(k)) == Ruling.LayerCorrect
    assert judge(world, ctx(r), r.layer_evidence(k), watcher) is False


def test_rule__honest_result_full_reexecution__result_correct(world, ctx, watcher):
    r = honest_result(1)
    assert rule(world, ctx(r), r.full_evidence()) == Ruling.ResultCorrect
    assert judge(world, ctx(r), r.full_evidence(), watcher) is False


def test_rule__wrong_output_last_layer_named__wrong_layer_output(world, ctx, watcher):
    r = cheated_result(layer=1)
    assert r.output != encode_vector(r.honest.output)
    assert rule(world, ctx(r), r.layer_evidence(1)) == Ruling.WrongLayerOutput
    assert judge(world, ctx(r), r.layer_evidence(1), watcher) is True


def test_rule__hidden_layer_cheat_first_layer_named__wrong_layer_output(world, ctx):
    r = cheated_result(layer=0)
    assert rule(world, ctx(r), r.layer_evidence(0)) == Ruling.WrongLayerOutput


def test_rule__hidden_layer_cheat_later_layer_named__layer_correct(world, ctx, watcher):
    # The trace is self-consistent after the corrupted layer: layer 1 on the (wrong) committed c_1 is right.
    r = cheated_result(layer=0)
    assert rule(world, ctx(r), r.layer_evidence(1)) == Ruling.LayerCorrect
    assert judge(world, ctx(r), r.layer_evidence(1), watcher) is False


def test_rule__cheat_full_reexecution__wrong_result(world, ctx):
    for layer in (0, 1):
        r = cheated_result(layer=layer, i=2)
        assert rule(world, ctx(r), r.full_evidence()) == Ruling.WrongResult


def test_rule__forged_weights__rejected(world, ctx):
    r = cheated_result(layer=1)
    w = MODEL.layers[1].weights.copy()
    w[0][0] += 1
    forged = Model(MODEL.name, MODEL.frac_bits, (MODEL.layers[0], DenseLayer(w, MODEL.layers[1].bias)))
    assert rule(world, ctx(r), r.layer_evidence(1, model=forged)) == Ruling.ForgedWeights
    assert rule(world, ctx(r), r.full_evidence(model=forged)) == Ruling.ForgedWeights
    other_f = Model(MODEL.name, MODEL.frac_bits - 1, MODEL.layers)  # same weights, another fracBits
    assert rule(world, ctx(r), r.layer_evidence(1, model=other_f)) == Ruling.ForgedWeights


def test_rule__forged_layer_input__rejected(world, ctx):
    r = cheated_result(layer=1)
    honest_hidden = encode_vector(r.honest.vectors[1])
    tweaked = encode_vector([int(v) + 1 for v in r.honest.vectors[1]])
    assert rule(world, ctx(r), r.layer_evidence(1, tweaked)) == Ruling.ForgedInput
    assert rule(world, ctx(r), r.layer_evidence(1, honest_hidden)) == Ruling.WrongLayerOutput  # control
    assert rule(world, ctx(r), r.layer_evidence(0, tweaked[: 4 * 64])) == Ruling.ForgedInput
    full = encode_layer_evidence(MODEL, 0, r.trace, encode_vector([0] * 64))
    assert rule(world, ctx(r), full) == Ruling.ForgedInput


def test_rule__trace_not_opening_root__rejected(world, ctx):
    r = cheated_result(layer=0)
    honest = honest_result()
    # The challenger shows the honest trace, but the provider's root commits to another one.
    assert rule(world, ctx(r), r.layer_evidence(0, trace_=honest.trace)) == Ruling.TraceNotOpened


def test_rule__last_commitment_not_output__output_not_in_trace(world, ctx, watcher):
    r = honest_result()
    bad_trace = (r.trace[0], keccak(b"something else"))
    c = ctx(r, trace_root=root(bad_trace))
    ev = r.layer_evidence(0, trace_=bad_trace)
    assert rule(world, c, ev) == Ruling.OutputNotInTrace
    assert judge(world, c, ev, watcher) is True


def test_rule__trace_of_wrong_length__trace_length_mismatch(world, ctx):
    r = honest_result()
    for bad_trace in ((r.trace[1],), (r.trace[0], r.trace[0], r.trace[1])):
        c = ctx(r, trace_root=root(bad_trace))
        assert rule(world, c, r.layer_evidence(0, trace_=bad_trace)) == Ruling.TraceLengthMismatch


def test_rule__committed_hidden_vector_out_of_range__invalid_layer_input(world, ctx):
    r = honest_result()
    hidden = [int(v) for v in r.honest.vectors[1]]
    hidden[5] = 2**24  # an int32 no honest layer produces
    packed = b"".join(v.to_bytes(4, "big", signed=True) for v in hidden)
    out = r.trace[1]
    bad_trace = (keccak(packed), out)
    c = ctx(r, trace_root=root(bad_trace))
    assert rule(world, c, r.layer_evidence(1, packed, trace_=bad_trace)) == Ruling.InvalidLayerInput
    short = packed[:-4]  # a committed vector of the wrong length
    bad_trace = (keccak(short), out)
    c = ctx(r, trace_root=root(bad_trace))
    assert rule(world, c, r.layer_evidence(1, short, trace_=bad_trace)) == Ruling.InvalidLayerInput


def test_rule__committed_hidden_vector_overflows_next_layer__activation_overflow(world, ctx):
    r = honest_result()
    huge = encode_vector([2**24 - 1] * 32)  # in range, but the logits leave |y| < 2**24
    bad_trace = (keccak(huge), r.trace[1])
    c = ctx(r, trace_root=root(bad_trace))
    assert rule(world, c, r.layer_evidence(1, huge, trace_=bad_trace)) == Ruling.ActivationOverflow


def test_rule__job_input_out_of_range_answered__full_proof_invalid_layer_input(world, ctx):
    x = [0] * 63 + [2**24]
    packed = b"".join(v.to_bytes(4, "big", signed=True) for v in x)
    r = honest_result()
    bogus = Result(packed, r.honest, r.reported, r.trace)
    assert rule(world, ctx(bogus), bogus.full_evidence()) == Ruling.InvalidLayerInput


def test_rule__malformed_evidence__rejected_without_revert(world, ctx, watcher):
    r = cheated_result(layer=1)
    good = r.layer_evidence(1)
    for evidence in (b"", b"\x00", b"\x02" + good[1:], good[:1] + b"\x00" * 31 + b"\x40" + good[33:], good[:200],
                     bytes(range(256)) * 3):
        assert rule(world, ctx(r), evidence) == Ruling.MalformedEvidence, evidence[:40].hex()
        assert judge(world, ctx(r), evidence, watcher) is False
    # A layer proof sent as a full proof still decodes (as other fields): never the provider's fault.
    assert judge(world, ctx(r), b"\x01" + good[1:], watcher) is False
    named_past_end = encode_layer_evidence(MODEL, 1, r.trace, encode_vector(r.honest.vectors[1]))
    named_past_end = named_past_end[:33] + (2).to_bytes(32, "big") + named_past_end[65:]
    assert rule(world, ctx(r), named_past_end) == Ruling.MalformedEvidence


def test_rule__non_optimistic_job__not_optimistic(world, ctx):
    r = cheated_result(layer=1)
    assert rule(world, ctx(r, mode=TEE), r.layer_evidence(1)) == Ruling.NotOptimistic


def test_verify_result__optimistic_verifier__accepts_nothing(world, ctx):
    r = honest_result()
    assert world["verifier"].verifyResult(ctx(r), r.trace_root) is False
    assert world["verifier"].verifyResult(ctx(r), b"") is False


def test_trace_root__view__equals_python_definition(world):
    r = honest_result()
    assert world["verifier"].traceRoot(list(r.trace)) == root(layer_outputs(r.honest))
