"""A LocalStore write survives a concurrent delete pruning the folder it has just made."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

import zarrnb.storage.local as local
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.storage import LocalStore


def test_write_remakes_a_folder_pruned_between_mkdir_and_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore(tmp_path)
    real_makedirs = os.makedirs
    pruned: list[str] = []

    leaf = str(tmp_path / "var" / "c" / "4")

    def makedirs_then_prune(name: str, exist_ok: bool = False) -> None:
        real_makedirs(name, exist_ok=exist_ok)  # (os.makedirs calls itself for the parents)
        if name == leaf and len(pruned) < 2:  # another thread's delete removes it while empty, twice
            os.rmdir(name)
            pruned.append(name)

    monkeypatch.setattr(local.os, "makedirs", makedirs_then_prune)
    value = default_buffer_prototype().buffer.from_bytes(b"chunk")
    asyncio.run(store.set("var/c/4/6", value))
    assert len(pruned) == 2
    assert (tmp_path / "var" / "c" / "4" / "6").read_bytes() == b"chunk"
