"""Kill writers at random points and check what they leave: ``python kill_writer.py KIND DIR KILLS SEED``.

KIND is ``local`` (an array in a LocalStore rewritten whole, generation after generation,
its attributes too) or ``zip`` (entries appended to a ZipStore in mode 'a', closed and
reopened again and again). This process imports zarrnb once, stays single-threaded, and
forks each writer (SIGKILLed after a random delay) and each checker, so a kill costs
milliseconds. After every kill a checker asserts: the metadata parses, every chunk is a
whole value, never older than the last check saw (the old value or a newer one), and no
entry a reader could see before is lost. Prints one JSON line; exits 1 on a violation.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

import zarrnb
from zarrnb.core.buffer import Buffer, default_buffer_prototype

SHAPE, CHUNKS = (16, 16), (4, 4)


def local_setup(root: Path) -> None:
    a = zarrnb.create_array(str(root), shape=SHAPE, chunks=CHUNKS, dtype="i8", fill_value=0)
    a.attrs["generation"] = 0


def local_writer(root: Path) -> None:
    a = zarrnb.open_array(str(root), mode="r+")
    generation = int(np.asarray(a[:]).max())
    while True:
        generation += 1
        a[:] = generation
        a.attrs["generation"] = generation


def local_check(root: Path, state: dict[str, Any]) -> dict[str, Any]:
    a = zarrnb.open_array(str(root), mode="r")  # the metadata parses
    data = np.asarray(a[:])
    attrs_generation = int(a.attrs["generation"])
    seen = state.get("chunks", {})
    chunks = {}
    for i in range(0, SHAPE[0], CHUNKS[0]):
        for j in range(0, SHAPE[1], CHUNKS[1]):
            block = data[i : i + CHUNKS[0], j : j + CHUNKS[1]]
            value = int(block.flat[0])
            assert (block == value).all(), f"chunk ({i}, {j}) is torn: {np.unique(block)}"
            assert value >= seen.get(f"{i},{j}", 0), f"chunk ({i}, {j}) went back to {value}"
            chunks[f"{i},{j}"] = value
    assert attrs_generation >= state.get("generation", 0), "the attributes went back"
    assert max(chunks.values()) >= attrs_generation, "attributes ahead of every chunk"
    hidden = [k for k in os.listdir(root) if k.endswith(".zarrnb-partial")]
    listed = zarrnb.storage.LocalStore(root, read_only=True)
    import asyncio

    keys = asyncio.run(_collect(listed.list()))
    assert not any(k.endswith(".zarrnb-partial") for k in keys), "a temp file is listed as a key"
    return {"chunks": chunks, "generation": attrs_generation, "temp_files": len(hidden)}


async def _collect(iterator: Any) -> list[str]:
    return [k async for k in iterator]


def zip_value(n: int) -> bytes:
    return n.to_bytes(4, "little") * (256 + n % 512)


def zip_setup(path: Path) -> None:
    import asyncio

    async def first() -> None:
        store = await zarrnb.storage.ZipStore.open(path, mode="w")
        await store.set("e/0", Buffer.from_bytes(zip_value(0)))
        store.close()

    asyncio.run(first())


def zip_writer(path: Path) -> None:
    import asyncio

    async def append_forever() -> None:
        n = 1 + max(int(k.split("/")[1]) for k in _zip_names(path))
        while True:
            store = await zarrnb.storage.ZipStore.open(path, mode="a")
            for _ in range(random.randint(1, 8)):
                await store.set(f"e/{n}", Buffer.from_bytes(zip_value(n)))
                n += 1
            store.close()

    asyncio.run(append_forever())


def _zip_names(path: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def zip_check(path: Path, state: dict[str, Any]) -> dict[str, Any]:
    import asyncio

    async def read() -> dict[str, bytes | None]:
        store = await zarrnb.storage.ZipStore.open(path, mode="r")  # the central directory parses
        keys = await _collect(store.list())
        values = {k: await store.get(k, default_buffer_prototype()) for k in keys}
        store.close()
        return {k: None if v is None else v.to_bytes() for k, v in values.items()}

    entries = asyncio.run(read())
    for key, value in entries.items():
        assert value == zip_value(int(key.split("/")[1])), f"entry {key} holds the wrong bytes"
    lost = sorted(set(state.get("entries", [])) - set(entries))
    assert not lost, f"complete entries lost: {lost[:5]} ({len(lost)})"
    return {"entries": sorted(entries)}


KINDS = {"local": (local_setup, local_writer, local_check), "zip": (zip_setup, zip_writer, zip_check)}


def in_child(work: Any, *args: Any) -> int:
    """Run ``work(*args)`` in a forked child; the child's exit status (0: it returned)."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            work(*args)
        except BaseException:
            traceback.print_exc()
            code = 1
        os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def main() -> int:
    kind, target, kills, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    setup, writer, check = KINDS[kind]
    rng = random.Random(seed)
    assert threading.active_count() == 1, "forking needs a single-threaded parent"
    assert in_child(setup, target) == 0, "setup failed"
    state_file = target.parent / f"{target.name}.state.json"
    state_file.write_text("{}")

    def check_and_save() -> None:
        state = json.loads(state_file.read_text())
        state_file.write_text(json.dumps(check(target, state)))

    delays = []
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:
            try:
                writer(target)
            finally:
                os._exit(1)
        delay = rng.uniform(0.005, 0.12)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = os.waitpid(pid, 0)[1]
        delays.append(delay)
        if not os.WIFSIGNALED(status):
            print(json.dumps({"error": "the writer ended before it was killed", "status": status}))
            return 1
        if in_child(check_and_save) != 0:
            print(json.dumps({"error": f"check failed after kill {len(delays)}"}))
            return 1
    summary = {"kind": kind, "kills": len(delays), "state": json.loads(state_file.read_text())}
    summary["state"].pop("entries", None)
    summary["entries"] = len(json.loads(state_file.read_text()).get("entries", []))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
