"""``zarrnb.copy(source, dest)``: copy a group or array between any two stores with a progress bar.

The work is :func:`zarrnb.core.copy.copy_node`; an interruption (Ctrl-C, the notebook's
stop button) cancels it between whole chunks and leaves no metadata for the unfinished copy.
"""

from __future__ import annotations

from typing import Any

import zarrnb
from zarrnb.api.sync import sync
from zarrnb.core.copy import CopyProgress, copy_node
from zarrnb.notebook.progress import ChunkProgressBar
from zarrnb.storage import StoreLike, make_store_path

__all__ = ["copy"]


def _async_node(node: Any) -> Any:
    """The engine object behind a sync ``Array`` or ``Group``."""
    for name in ("_async_array", "_async_group"):
        if hasattr(node, name):
            return getattr(node, name)
    raise TypeError(f"expected a zarrnb Array or Group, got {type(node).__name__}: {node!r}")


def copy(
    source: Any,
    dest: StoreLike,
    *,
    path: str = "",
    overwrite: bool = False,
    progress: bool = True,
    storage_options: dict[str, Any] | None = None,
    dest_storage_options: dict[str, Any] | None = None,
    concurrency: int | None = None,
) -> CopyProgress:
    """Copy ``source`` (a Group, an Array, or a URL opened read-only) to ``path`` in ``dest``.

    Returns the tally of chunks and bytes; existing data at the destination is refused
    unless ``overwrite``. ``progress`` shows a bar of chunks and bytes.
    """
    if isinstance(source, str):
        source = zarrnb.open(source, mode="r", storage_options=storage_options)
    node = _async_node(source)
    target = sync(make_store_path(dest, path=path, storage_options=dest_storage_options))
    bar = ChunkProgressBar(f"copy to {target}", disable=not progress)
    try:
        return sync(copy_node(node, target, overwrite=overwrite, progress=bar, concurrency=concurrency))
    finally:
        bar.close()
