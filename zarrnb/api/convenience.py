"""zarr-python's remaining top-level helpers: ``copy_store`` and ``print_debug_info``.

zarr-python 3 lists ``copy_store`` but raises ``NotImplementedError``; zarrnb does the copy
(zarr-python 2's semantics: every key under ``source_path``, as bytes, whatever the format).
"""

from __future__ import annotations

import platform
import re
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.storage import make_store_path
from zarrnb.storage.common import StoreLike

__all__ = ["ZARR_API_VERSION", "copy_store", "print_debug_info"]

# the zarr-python release whose API zarrnb implements (``zarr.__version__`` under the switch)
ZARR_API_VERSION = "3.1.6"

_IF_EXISTS = ("raise", "replace", "skip")


async def copy_store(
    source: StoreLike,
    dest: StoreLike,
    source_path: str = "",
    dest_path: str = "",
    excludes: Sequence[str] | None = None,
    includes: Sequence[str] | None = None,
    if_exists: str = "raise",
    dry_run: bool = False,
    log: Callable[[str], Any] | None = None,
) -> tuple[int, int, int]:
    """Copy every key below ``source_path`` to ``dest_path``; returns (copied, skipped, bytes copied).

    ``excludes``/``includes`` are regular expressions on the source-relative key (an include
    wins over an exclude, as in zarr-python 2); ``if_exists`` is 'raise', 'replace' or 'skip'.
    """
    if if_exists not in _IF_EXISTS:
        raise ValueError(f"if_exists must be one of {_IF_EXISTS}, got {if_exists!r}")
    source_store_path = await make_store_path(source, path=source_path, mode="r")
    dest_store_path = await make_store_path(dest, path=dest_path, mode="a")
    excluded = [re.compile(p) for p in excludes or ()]
    included = [re.compile(p) for p in includes or ()]
    prefix = f"{source_store_path.path}/" if source_store_path.path else ""
    dest_prefix = f"{dest_store_path.path}/" if dest_store_path.path else ""
    copied = skipped = nbytes = 0
    prototype = default_buffer_prototype()
    keys = sorted([k async for k in source_store_path.store.list_prefix(prefix)])
    for key in keys:
        relative = key[len(prefix) :]
        if any(p.search(relative) for p in excluded) and not any(p.search(relative) for p in included):
            continue
        target = dest_prefix + relative
        if await dest_store_path.store.exists(target):
            if if_exists == "raise":
                raise FileExistsError(f"key {target!r} already exists in {dest_store_path.store}")
            if if_exists == "skip":
                skipped += 1
                continue
        if log is not None:
            log(f"copy {key} -> {target}")
        value = await source_store_path.store.get(key, prototype)
        if value is None:  # deleted while copying
            continue
        if not dry_run:
            await dest_store_path.store.set(target, value)
        copied += 1
        nbytes += len(value)
    return copied, skipped, nbytes


def print_debug_info() -> None:
    """Print platform, Python and package versions, for bug reports (as zarr-python's does)."""
    import zarrnb

    def print_packages(packages: list[str]) -> None:
        missing = []
        for package in packages:
            try:
                print(f"{package}: {version(package)}")
            except PackageNotFoundError:
                missing.append(package)
        if missing:
            print("\n**Not Installed:**")
            print("\n".join(missing))

    print(f"platform: {platform.platform()}")
    print(f"python: {platform.python_version()}")
    print(f"zarrnb: {zarrnb.__version__}")
    print(f"zarr: {ZARR_API_VERSION}+zarrnb.{zarrnb.__version__} (the zarr-python API zarrnb implements)\n")
    print("**Required dependencies:**")
    print_packages(["numpy", "numcodecs", "crc32c", "donfig", "fsspec"])
    print("\n**Optional dependencies:**")
    print_packages(["s3fs", "obstore", "ipywidgets", "xarray", "dask"])
    try:
        print(f"zarr-python, installed beside zarrnb: {version('zarr')}")
    except PackageNotFoundError:
        pass
