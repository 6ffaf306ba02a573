"""LocalStore under stress: deletes pruning folders while other threads write into them, and
temp files of killed writes swept when the store is opened for writing."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import LocalStore
from zarrnb.storage import local as local_module

THREADS = 8
ROUNDS = 300


def test_deletes_pruning_a_folder_never_break_writes_into_it(tmp_path: Path) -> None:
    """Each thread writes and deletes its own key under one shared folder chain, so deletes keep
    pruning the folders other threads are writing into (issue 12, finding 9)."""
    store = asyncio.run(LocalStore.open(tmp_path / "root"))
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    async def churn(t: int) -> None:
        key, value = f"a/c/0/0/{t}", Buffer.from_bytes(bytes([t]) * 16)
        for _ in range(ROUNDS):
            await store.set(key, value)
            got = await store.get(key, default_buffer_prototype())
            assert got is not None and got.to_bytes() == value.to_bytes()
            await store.delete(key)

    def run(t: int) -> None:
        start.wait()
        try:
            asyncio.run(churn(t))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, f"{len(errors)} of {THREADS} threads failed; first: {errors[0]!r}"
    assert list(os.scandir(tmp_path / "root")) == []  # every folder pruned, no temp file left


def _temp_file(folder: Path, name: str, age_s: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.{os.urandom(16).hex()}.zarrnb-partial"
    path.write_bytes(b"partial")
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))
    return path


def test_opening_for_writing_sweeps_old_temp_files_only(tmp_path: Path) -> None:
    root = tmp_path / "root"
    old = [_temp_file(root / "c" / "0", "1", 2 * 3600), _temp_file(root, "zarr.json", 7200)]
    young = _temp_file(root / "c" / "1", "0", 60)  # a live writer's: must stay
    lookalike = root / ".notes.zarrnb-partial"  # not our temp-name pattern: must stay
    lookalike.write_bytes(b"x")
    os.utime(lookalike, (0, 0))
    (root / "c" / "0" / "1").write_bytes(b"chunk")

    reader = asyncio.run(LocalStore.open(root, read_only=True))
    assert all(p.exists() for p in old)  # read-only opens never delete
    assert reader.read_only
    asyncio.run(LocalStore.open(root))
    sweeper = getattr(local_module, "_sweepers", {}).get(os.path.abspath(root))
    if sweeper is not None:  # the sweep runs in a daemon thread: wait for it
        sweeper.join(30)
    assert not any(p.exists() for p in old)
    assert young.exists() and lookalike.exists()
    assert (root / "c" / "0" / "1").read_bytes() == b"chunk"


def test_remove_orphaned_temp_files_counts_and_respects_grace(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    _temp_file(tmp_path / "x", "0", 120)
    _temp_file(tmp_path / "x", "1", 10)
    assert store.remove_orphaned_temp_files(grace_s=3600) == 0
    assert store.remove_orphaned_temp_files(grace_s=60) == 1
    assert len(os.listdir(tmp_path / "x")) == 1
