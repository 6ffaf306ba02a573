"""``zarrnb.testing.stateful``: the store and hierarchy state machines run clean on zarrnb's stores."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from zarrnb.storage import LocalStore, MemoryStore
from zarrnb.testing.stateful import ZarrHierarchyStateMachine, ZarrStoreStateMachine

SETTINGS = settings(
    max_examples=8, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
)


def test_store_machine_on_memory_store() -> None:
    store = MemoryStore()
    run_state_machine_as_test(lambda: ZarrStoreStateMachine(store), settings=SETTINGS)


def test_hierarchy_machine_on_memory_and_local_stores(tmp_path: Path) -> None:
    for store in (MemoryStore(), LocalStore(str(tmp_path))):
        run_state_machine_as_test(lambda store=store: ZarrHierarchyStateMachine(store), settings=SETTINGS)
