"""Event cursor: chunked backfill, ordering, exactly once across restarts (SQLite store)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from helpers_client_lib import model_params

from opg_client.chain import OpgClient
from opg_client.events import EventCursor, MemoryCursorStore, SqliteCursorStore
from opg_client.roles import Researcher


def _registry_cursor(client: OpgClient, store: Any) -> EventCursor:
    return EventCursor(
        client,
        "registry",
        store,
        contracts=["ModelRegistry"],
        events=["ModelRegistered", "VersionPublished"],
        chunk_size=2,
        poll_interval=0.01,
    )


def test_cursor__backfill_in_chunks__all_events_in_order(client: OpgClient, deployment: Any) -> None:
    researcher = Researcher(client, deployment.actors.researcher)
    for seed in range(3):
        researcher.register_model(model_params(seed))
    events = list(_registry_cursor(client, MemoryCursorStore()).poll())
    names = [(e.name, e.args["modelId"]) for e in events]
    assert names == [(n, m) for m in (1, 2, 3) for n in ("ModelRegistered", "VersionPublished")]
    positions = [e.position for e in events]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_cursor__restart_with_sqlite__no_duplicates_and_new_events_only(
    client: OpgClient, deployment: Any, tmp_path: Path
) -> None:
    researcher = Researcher(client, deployment.actors.researcher)
    for seed in range(2):
        researcher.register_model(model_params(seed))
    db = tmp_path / "cursor.sqlite"
    first = _registry_cursor(client, SqliteCursorStore(db))
    stream = first.poll()
    handled = [next(stream), next(stream), next(stream)]
    first.commit(handled[-1])  # consumer stops right after handling the third event ("kill")
    stream.close()

    restarted = _registry_cursor(client, SqliteCursorStore(db))
    rest = list(restarted.poll())
    assert [e.position for e in handled + rest] == sorted({e.position for e in handled + rest})
    assert len(handled + rest) == 4
    assert list(restarted.poll()) == []
    researcher.register_model(model_params(9))
    fresh = list(_registry_cursor(client, SqliteCursorStore(db)).poll())
    assert [(e.name, e.args["modelId"]) for e in fresh] == [("ModelRegistered", 3), ("VersionPublished", 3)]


def test_cursor__unhandled_event__redelivered_after_restart(client: OpgClient, deployment: Any, tmp_path: Path) -> None:
    Researcher(client, deployment.actors.researcher).register_model(model_params(1))
    db = tmp_path / "cursor.sqlite"
    stream = _registry_cursor(client, SqliteCursorStore(db)).poll()
    first = next(stream)
    second = next(stream)  # handling of `second` "crashes": never acknowledged
    stream.close()
    again = list(_registry_cursor(client, SqliteCursorStore(db)).poll())
    assert first.position < second.position
    assert [e.position for e in again] == [second.position]


def test_cursor__follow__yields_new_blocks_until_stopped(client: OpgClient, deployment: Any) -> None:
    cursor = _registry_cursor(client, MemoryCursorStore())
    assert list(cursor.poll()) == []
    stop = threading.Event()
    seen: list[Any] = []

    def consume() -> None:
        for event in cursor.follow(stop):
            seen.append(event)
            if len(seen) == 4:
                stop.set()

    thread = threading.Thread(target=consume)
    thread.start()
    researcher = Researcher(client, deployment.actors.researcher)
    researcher.register_model(model_params(1))
    researcher.register_model(model_params(2))
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert [(e.name, e.args["modelId"]) for e in seen] == [
        ("ModelRegistered", 1),
        ("VersionPublished", 1),
        ("ModelRegistered", 2),
        ("VersionPublished", 2),
    ]
