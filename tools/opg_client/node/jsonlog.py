"""Structured logs: one JSON object per line (ts, level, logger, event, and the event's fields)."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import IO, Any

_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, static: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.static = dict(static or {})

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            **self.static,
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        if getattr(record, "event", None) and record.getMessage() != record.event:  # type: ignore[attr-defined]
            out["message"] = record.getMessage()
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in ("event", "fields"):
                out[key] = value
        out.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=_default, sort_keys=False)


def _default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def setup_json_logging(
    stream: IO[str] | None = None, level: int = logging.INFO, static: dict[str, Any] | None = None
) -> logging.Handler:
    """Route the root logger (ours and the library's) to JSON lines on `stream` (default stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(static))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.Formatter.converter = time.gmtime
    return handler


class EventLog:
    """`log.info("job_claimed", job_id=3, gas=81234)` -> {"event": "job_claimed", "job_id": 3, ...}."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    def _log(self, level: int, event: str, fields: dict[str, Any], exc_info: bool = False) -> None:
        self.logger.log(level, event, extra={"event": event, "fields": fields}, exc_info=exc_info)

    def debug(self, event: str, **fields: Any) -> None:
        self._log(logging.DEBUG, event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log(logging.INFO, event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log(logging.WARNING, event, fields)

    def error(self, event: str, exc_info: bool = False, **fields: Any) -> None:
        self._log(logging.ERROR, event, fields, exc_info)
