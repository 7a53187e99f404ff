"""Canonical model files and the content-addressed store (docs/runtime.md §4)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from eth_utils import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from opg_client.runtime import (
    VALUE_BOUND,
    DenseLayer,
    InvalidHash,
    Model,
    ModelFormatError,
    ModelHashMismatch,
    ModelNotFound,
    ModelStore,
    ValueOutOfRange,
    dump_model,
    load_model,
    model_hash,
    read_model,
    save_model,
)

values = st.integers(min_value=-(VALUE_BOUND - 1), max_value=VALUE_BOUND - 1)


@st.composite
def models(draw: st.DrawFn) -> Model:
    dims = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    layers = []
    for cols, rows in itertools.pairwise(dims):
        w = [[draw(values) for _ in range(cols)] for _ in range(rows)]
        layers.append(DenseLayer(w, [draw(values) for _ in range(rows)]))
    name = draw(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20))
    return Model(name, draw(st.integers(0, 24)), tuple(layers))


def small_model() -> Model:
    return Model("tiny", 8, (DenseLayer([[1, -2], [3, 4]], [5, -6]), DenseLayer([[7, 8]], [-9])))


@settings(max_examples=60, deadline=None)
@given(models())
def test_dump_load__any_model__roundtrips_and_is_canonical(model: Model) -> None:
    data = dump_model(model)
    loaded = load_model(data)
    assert loaded == model
    assert dump_model(loaded) == data
    assert model_hash(model) == keccak(data) == model_hash(data)


def test_dump_model__small_model__exact_bytes() -> None:
    assert dump_model(small_model()) == (
        b'{"format":"opg-ffn-v1","frac_bits":8,"layers":['
        b'{"bias":[5,-6],"cols":2,"rows":2,"weights":[1,-2,3,4]},'
        b'{"bias":[-9],"cols":2,"rows":1,"weights":[7,8]}],"name":"tiny"}'
    )


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s + " ",  # trailing whitespace
        lambda s: s.replace(":", ": ", 1),  # spacing
        lambda s: s.replace('"frac_bits":8', '"frac_bits":8.0'),  # float
        lambda s: s.replace("[5,-6]", "[5,-6.5]"),  # float weight
        lambda s: s.replace("[5,-6]", "[5,true]"),  # bool as int
        lambda s: s.replace('"frac_bits":8,', '"frac_bits":8,"frac_bits":8,'),  # duplicate key
        lambda s: s.replace('{"format":"opg-ffn-v1","frac_bits":8,', '{"frac_bits":8,"format":"opg-ffn-v1",'),
        lambda s: s.replace('"opg-ffn-v1"', '"opg-ffn-v2"'),  # unknown format
        lambda s: s.replace('"name":"tiny"', '"name":"tiny","extra":1'),  # unknown key
        lambda s: s.replace("[7,8]", "[7]"),  # weights count vs shape
        lambda s: s.replace("[7,8]", "[07,8]"),  # number spelling
        lambda s: s.replace("[5,-6]", "[5,-0]"),  # "-0" is not canonical
        lambda s: s.replace("[5,-6]", "[5,NaN]"),
        lambda s: s[:-1],  # truncated
    ],
)
def test_load_model__non_canonical_or_invalid__raises_model_format_error(mutate) -> None:
    text = dump_model(small_model()).decode()
    with pytest.raises(ModelFormatError):
        load_model(mutate(text).encode())


def test_load_model__weight_out_of_range__raises_value_out_of_range() -> None:
    obj = json.loads(dump_model(small_model()))
    obj["layers"][0]["weights"][0] = VALUE_BOUND
    data = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(ValueOutOfRange):
        load_model(data)


def test_save_read__file__roundtrips_and_returns_hash(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    assert save_model(small_model(), path) == keccak(path.read_bytes())
    assert read_model(path) == small_model()


def test_store_put_get__model__stored_under_its_hash(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "store")
    data = dump_model(small_model())
    h = store.put(data)
    assert h == keccak(data)
    assert store.path_for(h) == tmp_path / "store" / (h.hex() + ".json")
    assert store.path_for(h).read_bytes() == data
    assert store.get(h) == small_model()
    assert store.get("0x" + h.hex()) == small_model()
    assert store.get(h.hex()) == small_model()
    assert h in store
    assert store.put(data) == h  # idempotent
    assert store.put_model(small_model()) == h
    assert store.hashes() == [h]


def test_store_get__tampered_file__raises_hash_mismatch(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    h = store.put(dump_model(small_model()))
    path = store.path_for(h)
    tampered = path.read_bytes().replace(b"[7,8]", b"[7,9]")
    path.write_bytes(tampered)
    with pytest.raises(ModelHashMismatch) as err:
        store.get(h)
    assert err.value.expected == h
    assert err.value.actual == keccak(tampered)
    with pytest.raises(ModelHashMismatch):
        store.get_bytes(h)


def test_store_get__file_under_other_models_hash__raises_hash_mismatch(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    other = Model("other", 8, (DenseLayer([[1]], [0]),))
    h = store.put(dump_model(small_model()))
    store.path_for(h).write_bytes(dump_model(other))  # a valid model file, but not the one addressed
    with pytest.raises(ModelHashMismatch):
        store.get(h)


def test_store_get__unknown_hash__raises_model_not_found(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound) as err:
        ModelStore(tmp_path).get(b"\x11" * 32)
    assert err.value.model_hash == b"\x11" * 32


@pytest.mark.parametrize("bad", ["0x1234", "zz" * 32, b"\x00" * 31])
def test_store_get__malformed_hash__raises_invalid_hash(tmp_path: Path, bad: object) -> None:
    with pytest.raises(InvalidHash):
        ModelStore(tmp_path).get(bad)  # type: ignore[arg-type]


def test_store_put__not_a_model_file__raises_and_stores_nothing(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    with pytest.raises(ModelFormatError):
        store.put(b'{"hello": "world"}')
    assert store.hashes() == []
    assert list(tmp_path.iterdir()) == []


def test_runtime_errors__any__derive_from_package_root_opg_error() -> None:
    from opg_client.errors import OpgError

    assert issubclass(ModelHashMismatch, OpgError)
    assert issubclass(ValueOutOfRange, OpgError)
