"""Every runtime fills in every engine port it is handed, with nothing left unimplemented."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from notifier.campaigns.dispatcher import JobQueue
from notifier.engine.ports import Outbox, PlanStore, Suppressions
from notifier.runtime.database import Database
from notifier.runtime.sqlite_store import SqliteStore
from notifier.streams.job_outbox import TableOutbox, TableSuppressions
from notifier.streams.staged_tables import TABLES, StagedTables
from notifier.streams.table_store import RouteStore


def members(protocol: type) -> set[str]:
    names: set[str] = set()
    for cls in protocol.__mro__:
        if cls.__module__ in ("typing", "builtins"):
            continue
        names |= {n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")}
    return names


def missing_or_stubbed(obj: object, protocol: type) -> list[str]:
    bad = []
    for name in sorted(members(protocol)):
        impl = getattr(type(obj), name, None)
        if impl is None:
            bad.append(f"{name}: missing")
        elif "NotImplementedError" in inspect.getsource(impl):
            bad.append(f"{name}: raises NotImplementedError")
    return bad


def test_the_ports_are_narrow() -> None:
    assert len(members(Outbox)) <= 7 and len(members(Suppressions)) == 2
    assert members(PlanStore) >= {"enqueue", "get_quarantine", "add_review"}


def test_sqlite_store_fills_in_every_port(tmp_path: Path) -> None:
    store = SqliteStore(Database(tmp_path / "x.db"))
    for protocol in (PlanStore, Outbox, Suppressions, JobQueue):
        assert missing_or_stubbed(store, protocol) == [], protocol.__name__


@pytest.mark.parametrize(
    ("make", "protocol"),
    [
        (lambda: RouteStore(StagedTables({n: {} for n in TABLES}), "bengaluru"), PlanStore),
        (lambda: TableOutbox({}), Outbox),
        (lambda: TableSuppressions({}), Suppressions),
    ],
)
def test_table_stores_fill_in_their_ports(make: object, protocol: type) -> None:
    assert missing_or_stubbed(make(), protocol) == []  # type: ignore[operator]
