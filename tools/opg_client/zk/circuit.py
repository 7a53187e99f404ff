"""Circuit generation: runtime model -> ONNX -> EZKL settings, compiled circuit, SRS, proving / verifying keys.

Scales: EZKL's input and parameter scale are the model's `frac_bits`, so the circuit's public input instances
are exactly the runtime's fixed-point input integers and weights are the model's integers (dequantized to
float32 exactly, |w| < 2**24, and re-quantized by EZKL to the same integers). Each dense layer's product is
rebased to scale F by EZKL's own division, which rounds where the runtime floors (`acc >> F`): a ZK output can
differ from the optimistic runtime's by 1 unit in the last place per layer. The ZK output is the circuit's.

SRS: `setup_circuit(..., srs=PATH)` uses a given KZG SRS file (e.g. from a public ceremony, with at least
2**logrows points); without one it generates a local SRS with `ezkl.gen_srs`, whose toxic waste is known to
this machine: development only (`ZkCircuit.srs_dev` is then true and `opg zk setup` warns).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from opg_client.runtime.fileformat import model_hash
from opg_client.runtime.fixed import VALUE_BITS
from opg_client.runtime.model import Model

from .errors import ZkError

MANIFEST = "zk.json"
#: Range checks decompose values in base 2**DECOMP_BITS (EZKL `decomp_base`); the lookup table spans one leg.
DECOMP_BITS = 10
MIN_LOGROWS = DECOMP_BITS + 2
MAX_LOGROWS = 22
#: One column per advice set: the fewest polynomial commitments, so the cheapest on-chain verification (the tiny
#: test model: 414k gas for `verifyProof` vs 544k with 2 columns); rows are sized to fit (`_fit_logrows`).
NUM_INNER_COLS = 1
#: Rows kept free above the circuit's own (blinding factors and EZKL's reserved rows).
RESERVED_ROWS = 64


def _ezkl() -> Any:
    try:
        import ezkl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ZkError("ZK mode needs the `ezkl` package (pip install 'opg-client[zk]')") from exc
    return ezkl


@dataclass(frozen=True)
class ZkCircuit:
    """A model's EZKL circuit and keys on disk (`root`), as written by `setup_circuit`."""

    root: Path
    model_hash: str  # 0x-hex weights hash of the runtime model
    frac_bits: int
    input_dim: int
    output_dim: int
    logrows: int
    srs_path: Path
    srs_dev: bool  # True: locally generated SRS (development only)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per setup step
    verifier_address: str | None = None

    @property
    def onnx_path(self) -> Path:
        return self.root / "model.onnx"

    @property
    def settings_path(self) -> Path:
        return self.root / "settings.json"

    @property
    def compiled_path(self) -> Path:
        return self.root / "circuit.ezkl"

    @property
    def vk_path(self) -> Path:
        return self.root / "vk.key"

    @property
    def pk_path(self) -> Path:
        return self.root / "pk.key"

    def save(self) -> None:
        data = asdict(self)
        data["root"] = None
        data["srs_path"] = str(self.srs_path)
        (self.root / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True))

    def with_verifier(self, address: str) -> ZkCircuit:
        out = ZkCircuit(**{**self.__dict__, "verifier_address": address})
        out.save()
        return out


def load_circuit(root: str | Path) -> ZkCircuit:
    """The circuit saved under `root` (ZkError if there is none)."""
    root = Path(root)
    try:
        data = json.loads((root / MANIFEST).read_text())
    except FileNotFoundError:
        raise ZkError(f"no ZK circuit at {root}: run `opg zk setup` first") from None
    data["root"] = root
    data["srs_path"] = Path(data["srs_path"])
    return ZkCircuit(**data)


def model_to_onnx(model: Model) -> bytes:
    """The runtime model as a float32 ONNX graph: Gemm (transB) per layer, Relu between layers."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    scale = float(1 << model.frac_bits)
    nodes, inits, current = [], [], "input"
    last = len(model.layers) - 1
    for k, layer in enumerate(model.layers):
        inits.append(numpy_helper.from_array((layer.weights / scale).astype(np.float32), f"W{k}"))
        inits.append(numpy_helper.from_array((layer.bias / scale).astype(np.float32), f"B{k}"))
        out = "output" if k == last else f"h{k}"
        pre = f"{out}_pre" if model.relu_after(k) else out
        nodes.append(helper.make_node("Gemm", [current, f"W{k}", f"B{k}"], [pre], transB=1))
        if model.relu_after(k):
            nodes.append(helper.make_node("Relu", [pre], [out]))
        current = out
    graph = helper.make_graph(
        nodes,
        model.name or "opg",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, model.input_dim])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, model.output_dim])],
        inits,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    proto.ir_version = 8
    onnx.checker.check_model(proto)
    return bytes(proto.SerializeToString())


def _decomp_legs(model: Model) -> int:
    """Legs of base 2**DECOMP_BITS covering every value the circuit range-checks: a layer's accumulator
    (|acc| < 2**(VALUE_BITS + F + log2(cols) + 1)) plus a sign bit."""
    widest = max(layer.cols for layer in model.layers)
    bits = VALUE_BITS + model.frac_bits + math.ceil(math.log2(widest + 1)) + 2
    return math.ceil(bits / DECOMP_BITS)


def _run_args(ezkl: Any, model: Model, logrows: int) -> Any:
    args = ezkl.PyRunArgs()
    args.input_scale = model.frac_bits
    args.param_scale = model.frac_bits
    args.scale_rebase_multiplier = 1
    args.input_visibility = "public"
    args.output_visibility = "public"
    args.param_visibility = "fixed"  # weights are baked into the circuit (and so into the verifier)
    args.decomp_base = 1 << DECOMP_BITS
    args.decomp_legs = _decomp_legs(model)
    args.lookup_range = (-(1 << DECOMP_BITS), 1 << DECOMP_BITS)
    args.num_inner_cols = NUM_INNER_COLS
    args.logrows = logrows
    return args


def write_input(model: Model, x: Any, path: Path) -> None:
    """EZKL input file for the fixed-point integer vector `x` (as exact floats x / 2**F)."""
    scale = float(1 << model.frac_bits)
    values = [int(v) / scale for v in x]
    if len(values) != model.input_dim:
        raise ZkError(f"input has {len(values)} values, the model takes {model.input_dim}")
    path.write_text(json.dumps({"input_data": [values]}))


def _fit_logrows(ezkl: Any, model: Model, root: Path) -> int:
    """Smallest logrows whose rows hold the whole circuit in one column set (EZKL would add columns otherwise)."""
    ezkl.gen_settings(str(root / "model.onnx"), str(root / "settings.json"),
                      py_run_args=_run_args(ezkl, model, MIN_LOGROWS))
    rows = int(json.loads((root / "settings.json").read_text()).get("num_rows", 0))
    return max(MIN_LOGROWS, math.ceil(math.log2(rows + RESERVED_ROWS)))


def _compile(ezkl: Any, model: Model, root: Path, logrows: int) -> bool:
    """Settings + compiled circuit at `logrows`; True if a witness of the zero input satisfies it (mock)."""
    run_args = _run_args(ezkl, model, logrows)
    ezkl.gen_settings(str(root / "model.onnx"), str(root / "settings.json"), py_run_args=run_args)
    ezkl.compile_circuit(str(root / "model.onnx"), str(root / "circuit.ezkl"), str(root / "settings.json"))
    probe = root / "probe-input.json"
    write_input(model, [0] * model.input_dim, probe)
    try:
        ezkl.gen_witness(str(probe), str(root / "circuit.ezkl"), str(root / "probe-witness.json"), None, None)
        return bool(ezkl.mock(str(root / "probe-witness.json"), str(root / "circuit.ezkl")))
    except RuntimeError:
        return False
    finally:
        probe.unlink(missing_ok=True)
        (root / "probe-witness.json").unlink(missing_ok=True)


def setup_circuit(
    model: Model, root: str | Path, *, srs: str | Path | None = None, dev_srs_dir: str | Path | None = None
) -> ZkCircuit:
    """Generate the circuit of `model` under `root`: ONNX, settings, compiled circuit, SRS, vk / pk.

    `srs`: a KZG SRS file to use (production). Without it a development SRS is generated with
    `ezkl.gen_srs` (into `dev_srs_dir`, default `root`, reused there if already present).
    """
    ezkl = _ezkl()
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    (root / "model.onnx").write_bytes(model_to_onnx(model))
    logrows = _fit_logrows(ezkl, model, root)
    while not _compile(ezkl, model, root, logrows):
        logrows += 1
        if logrows > MAX_LOGROWS:
            raise ZkError(f"model does not fit a circuit of 2**{MAX_LOGROWS} rows")
    timings["compile_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if srs is not None:
        srs_path, srs_dev = Path(srs).resolve(), False
        if not srs_path.is_file():
            raise ZkError(f"SRS file {srs_path} not found")
    else:
        srs_dir = Path(dev_srs_dir).resolve() if dev_srs_dir else root
        srs_dir.mkdir(parents=True, exist_ok=True)
        srs_path, srs_dev = srs_dir / f"dev-srs-k{logrows}.params", True
        if not srs_path.is_file():
            ezkl.gen_srs(str(srs_path), logrows)
    timings["srs_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    try:
        ok = ezkl.setup(str(root / "circuit.ezkl"), str(root / "vk.key"), str(root / "pk.key"), str(srs_path), None,
                        False)
    except RuntimeError as exc:
        raise ZkError(f"EZKL setup failed (is the SRS at least 2**{logrows} points?): {exc}") from exc
    if not ok:
        raise ZkError("EZKL setup failed")
    timings["setup_s"] = time.perf_counter() - t0

    circuit = ZkCircuit(
        root=root,
        model_hash="0x" + model_hash(model).hex(),
        frac_bits=model.frac_bits,
        input_dim=model.input_dim,
        output_dim=model.output_dim,
        logrows=logrows,
        srs_path=srs_path,
        srs_dev=srs_dev,
        timings=timings,
    )
    circuit.save()
    return circuit
