"""Content-addressed local model store: files live under their keccak256 (docs/runtime.md §4.3)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from eth_utils import keccak

from .errors import InvalidHash, ModelHashMismatch, ModelNotFound
from .fileformat import dump_model, load_model
from .model import Model

HASH_SUFFIX = ".json"


def parse_hash(model_hash: bytes | str) -> bytes:
    """A 32-byte hash from bytes or a hex string (with or without 0x)."""
    if isinstance(model_hash, str):
        text = model_hash[2:] if model_hash[:2].lower() == "0x" else model_hash
        try:
            raw = bytes.fromhex(text)
        except ValueError as exc:
            raise InvalidHash(model_hash, "not hex") from exc
    else:
        raw = bytes(model_hash)
    if len(raw) != 32:
        raise InvalidHash(model_hash, f"{len(raw)} bytes, expected 32")
    return raw


class ModelStore:
    """A directory of model files named `<64 lowercase hex chars>.json` after their keccak256.

    `put` validates the bytes as a canonical model file before storing them; `get` re-hashes what it reads
    and raises ModelHashMismatch if the file was altered on disk.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, model_hash: bytes | str) -> Path:
        """Where the file of `model_hash` lives (whether or not it exists)."""
        return self.root / (parse_hash(model_hash).hex() + HASH_SUFFIX)

    def put(self, data: bytes) -> bytes:
        """Store canonical model file bytes; returns their keccak256. Idempotent. Raises ModelFormatError."""
        data = bytes(data)
        load_model(data)  # refuse anything that is not a canonical model file
        digest = keccak(data)
        target = self.path_for(digest)
        if target.exists() and target.read_bytes() == data:
            return digest
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".put-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return digest

    def put_model(self, model: Model) -> bytes:
        """`put(dump_model(model))`."""
        return self.put(dump_model(model))

    def __contains__(self, model_hash: bytes | str) -> bool:
        return self.path_for(model_hash).is_file()

    def get_bytes(self, model_hash: bytes | str) -> bytes:
        """The verified file bytes. Raises ModelNotFound or ModelHashMismatch."""
        expected = parse_hash(model_hash)
        path = self.path_for(expected)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ModelNotFound(expected) from exc
        actual = keccak(data)
        if actual != expected:
            raise ModelHashMismatch(expected, actual)
        return data

    def get(self, model_hash: bytes | str) -> Model:
        """The model stored under `model_hash`, after checking the file's hash."""
        return load_model(self.get_bytes(model_hash))

    def hashes(self) -> list[bytes]:
        """Hashes of every stored file (by file name; `get` still verifies content), sorted."""
        out = []
        for p in self.root.glob("*" + HASH_SUFFIX):
            try:
                out.append(parse_hash(p.name[: -len(HASH_SUFFIX)]))
            except InvalidHash:
                continue
        return sorted(out)
