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


def test_split_prefix_name_as_zarr_python() -> None:
    from zarr.testing.stateful import split_prefix_name as theirs

    from zarrnb.testing.stateful import split_prefix_name

    for path in ("a", "a/b", "a/b/c", "x/y.z"):
        assert split_prefix_name(path) == theirs(path)
    assert split_prefix_name("a/b/c") == ("a/b", "c")


def test_with_frequency_runs_a_rule_on_a_deterministic_share_of_asks() -> None:
    """The precondition ``with_frequency(f)`` adds answers as zarr-python's does, ask by ask, per machine."""
    from hypothesis.stateful import PRECONDITIONS_MARKER  # type: ignore[attr-defined]
    from zarr.testing.stateful import with_frequency as theirs

    from zarrnb.testing.stateful import with_frequency

    def answers(decorator: object, frequency: float) -> list[bool]:
        def rule_body(self: object) -> None: ...

        (due,) = getattr(decorator(frequency)(rule_body), PRECONDITIONS_MARKER)  # type: ignore[operator]

        class Machine:
            pass

        machine = Machine()
        return [bool(due(machine)) for _ in range(20)]

    for frequency in (0.25, 0.5, 0.1):
        ours = answers(with_frequency, frequency)
        assert ours == answers(theirs, frequency)
        assert sum(ours) == round(20 * frequency)


def test_sync_store_wrapper_lists_a_directory() -> None:
    from zarrnb.core.buffer import Buffer
    from zarrnb.testing.stateful import SyncStoreWrapper

    wrapper = SyncStoreWrapper(MemoryStore())
    for key in ("a/zarr.json", "a/c/0", "b"):
        wrapper.set(key, Buffer.from_bytes(b"x"))
    assert sorted(wrapper.list_dir("a")) == ["c", "zarr.json"]
    assert wrapper.supports_listing and wrapper.supports_writes and wrapper.supports_deletes
    wrapper.delete(path="b")
    assert not wrapper.exists("b")


class _ForgetfulStore(MemoryStore):
    """A store whose deletes do nothing: the store machine must catch it."""

    async def delete(self, key: str) -> None:
        return None


def test_store_machine_catches_a_store_that_ignores_deletes() -> None:
    import pytest

    settings_ = settings(
        max_examples=60,
        stateful_step_count=20,
        deadline=None,
        derandomize=True,  # the same examples every run: no flaky pass
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(AssertionError):
        run_state_machine_as_test(lambda: ZarrStoreStateMachine(_ForgetfulStore()), settings=settings_)
