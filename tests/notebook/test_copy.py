"""``zarrnb.copy``: the sync entry point with its progress bar."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

import zarrnb
from zarrnb.core.copy import CopyProgress
from zarrnb.errors import ContainsGroupError
from zarrnb.notebook import copy
from zarrnb.notebook.progress import ChunkProgressBar


def _source(path: Any) -> Any:
    root = zarrnb.open_group(str(path), mode="w", attributes={"title": "src"})
    root.create_array("a", shape=(10, 10), chunks=(5, 5), dtype="i4")[:] = np.arange(100).reshape(10, 10)
    return root


def test_copy_group_to_a_zip_store_with_a_progress_bar(tmp_path: Any, capsys: Any) -> None:
    source = _source(tmp_path / "src.zarr")
    dest = zarrnb.storage.ZipStore(tmp_path / "copy.zip", mode="w")
    tally = copy(source, dest)
    dest.close()
    assert (tally.chunks_done, tally.chunks_total, tally.chunks_missing) == (4, 4, 0)
    copied = zarrnb.open_group(zarrnb.storage.ZipStore(tmp_path / "copy.zip", mode="r"), mode="r")
    assert copied["a"][:].tolist() == source["a"][:].tolist()
    assert copied.attrs["title"] == "src"
    bar = capsys.readouterr().err
    assert "4/4" in bar and "chunk" in bar


def test_copy_opens_a_url_source_and_refuses_to_overwrite(tmp_path: Any, capsys: Any) -> None:
    source = _source(tmp_path / "src.zarr")
    dest = tmp_path / "dest.zarr"
    copy(str(tmp_path / "src.zarr"), str(dest), path="inner", progress=False)
    assert capsys.readouterr().err == ""
    assert zarrnb.open_group(str(dest), path="inner", mode="r")["a"][:].tolist() == source["a"][:].tolist()
    with pytest.raises(ContainsGroupError, match="inner"):
        copy(source, str(dest), path="inner", progress=False)
    with pytest.raises(TypeError, match="expected a zarrnb Array or Group"):
        copy(object(), str(dest))


def test_progress_bar_counts_chunks_and_shows_bytes() -> None:
    out = io.StringIO()
    bar = ChunkProgressBar("copy", file=out, mininterval=0)
    bar(CopyProgress(chunks_total=8))
    bar(CopyProgress(chunks_done=3, chunks_total=8, bytes_done=5 * 1024 * 1024))
    assert bar.bar.total == 8 and bar.bar.n == 3
    bar.close()
    text = out.getvalue()
    assert "3/8" in text and "5.00MB" in text
