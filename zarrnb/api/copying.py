"""``copy`` and ``copy_all``: zarr-python 2's node copies, which zarr-python 3 lists but refuses.

Both return zarr-python 2's counts (nodes copied, nodes skipped, chunk bytes copied); the bytes move
through the engine's streaming copy (:func:`zarrnb.core.copy.copy_node`).
"""

from __future__ import annotations

from typing import Any

from zarrnb.core.array import AsyncArray
from zarrnb.core.common import ensure_no_existing_node
from zarrnb.core.copy import copy_node, walk_nodes
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ContainsArrayError, ContainsGroupError

__all__ = ["copy", "copy_all"]

_IF_EXISTS = ("raise", "replace", "skip")


async def copy(
    source: AsyncArray | AsyncGroup,
    dest: AsyncGroup,
    name: str | None = None,
    log: Any = None,
    if_exists: str = "raise",
    dry_run: bool = False,
) -> tuple[int, int, int]:
    """Copy ``source`` (an array or a group with all its members) into the group ``dest`` as ``name``.

    Parameters
    ----------
    source : AsyncArray or AsyncGroup
        The node to copy, with every member below it.
    dest : AsyncGroup
        The group to copy into, in the same or another store; same Zarr format as ``source``.
    name : str, optional
        The new member's name in ``dest``; defaults to ``source``'s own name.
    log : callable, optional
        Called with one line per node copied or skipped.
    if_exists : {'raise', 'replace', 'skip'}
        What to do when ``dest`` already holds a node called ``name``.
    dry_run : bool
        Count what would be copied without writing anything.

    Returns
    -------
    tuple of int
        (nodes copied, nodes skipped, chunk bytes copied), as zarr-python 2's ``copy``.
    """
    if if_exists not in _IF_EXISTS:
        raise ValueError(f"if_exists must be one of {_IF_EXISTS}, got {if_exists!r}")
    if not isinstance(source, AsyncArray | AsyncGroup):
        raise TypeError(f"source must be an array or a group, got {type(source).__name__}")
    if not isinstance(dest, AsyncGroup):
        raise TypeError(f"dest must be a group, got {type(dest).__name__}")
    if source.metadata.zarr_format != dest.metadata.zarr_format:
        raise ValueError(
            f"cannot copy a Zarr format {source.metadata.zarr_format} node into the format "
            f"{dest.metadata.zarr_format} group {dest.store_path.path!r}"
        )
    name = name or source.store_path.path.rsplit("/", 1)[-1]
    if not name:
        raise ValueError("name is required when copying a root node (it has no name of its own)")
    target = dest.store_path / name
    try:
        await ensure_no_existing_node(target)
    except (ContainsArrayError, ContainsGroupError):
        if if_exists == "raise":
            raise
        if if_exists == "skip":
            if log is not None:
                log(f"skip {source.store_path} -> {target} (exists)")
            return 0, 1, 0
    nodes = await walk_nodes(source)
    if log is not None:
        log(f"{'would copy' if dry_run else 'copy'} {source.store_path} -> {target} ({len(nodes)} nodes)")
    if dry_run:
        return len(nodes), 0, 0
    state = await copy_node(source, target, overwrite=if_exists == "replace", nodes=nodes)
    return len(nodes), 0, state.bytes_done


async def copy_all(
    source: AsyncGroup,
    dest: AsyncGroup,
    log: Any = None,
    if_exists: str = "raise",
    dry_run: bool = False,
) -> tuple[int, int, int]:
    """Copy every member of the group ``source`` into the group ``dest``, keeping their names.

    Parameters
    ----------
    source : AsyncGroup
        The group whose members (and everything below them) are copied.
    dest : AsyncGroup
        The group to copy into; same Zarr format as ``source``.
    log : callable, optional
        Called with one line per node copied or skipped.
    if_exists : {'raise', 'replace', 'skip'}
        What to do when ``dest`` already holds a member of the same name.
    dry_run : bool
        Count what would be copied without writing anything.

    Returns
    -------
    tuple of int
        (nodes copied, nodes skipped, chunk bytes copied), summed over the members.
    """
    if not isinstance(source, AsyncGroup):
        raise TypeError(f"source must be a group, got {type(source).__name__}")
    totals = [0, 0, 0]
    for member_name, member in sorted([m async for m in source.members()], key=lambda m: m[0]):
        counts = await copy(member, dest, name=member_name, log=log, if_exists=if_exists, dry_run=dry_run)
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
    return totals[0], totals[1], totals[2]
