"""A store in one zip file: handy to ship a small hierarchy as a single file.

Zip files cannot delete or rewrite entries in place: a re-``set`` appends a new
entry that wins on read (with a warning), and ``delete`` is refused.

Writes go to a temporary file beside the zip, renamed over it on ``close``: a crash
or kill before then leaves the zip as it was (see :class:`ZipStore`).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import threading
import time
import warnings
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any, Literal, TypeVar

from zarrnb.abc.store import ByteRequest, Store
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.storage._utils import (
    byte_range_bounds,
    check_byte_request,
    check_key,
    remove_orphaned_temp_files,
    temp_name,
)

__all__ = ["ZipStore"]

ZipStoreAccessModeLiteral = Literal["r", "w", "a", "x"]
_MODES = ("r", "w", "a", "x")
T = TypeVar("T")


class _ZipHandle:
    """The open ZipFile and the lock that serialises every access to it (shared by views)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.zf: zipfile.ZipFile | None = None
        # where a writable store writes until close renames it over the zip; None when reading
        self.temp: str | None = None
        self.target: str | None = None  # the zip's real path (symlinks resolved) the rename replaces


class ZipStore(Store):
    """Keys are entries of the zip file at ``path``; ``str(store)`` is ``zip://<path>``.

    Keys are checked as :class:`LocalStore` checks them (same errors). A writable store
    writes to a hidden temporary file beside ``path`` and renames it over ``path`` on
    :meth:`close`, so a crash, kill or full disk mid-write never damages the zip: it keeps
    every entry it had, and only what was written since opening is lost. The cost: mode
    ``'a'`` copies the existing zip to the temporary file when opening (time and disk space
    in proportion to its size), and other processes see the new entries only after ``close``.
    Temporary files of killed writers are removed by the next writable open (after an hour).
    """

    def __init__(
        self,
        path: Path | str,
        *,
        mode: ZipStoreAccessModeLiteral = "r",
        read_only: bool | None = None,
        compression: int = zipfile.ZIP_STORED,
        allowZip64: bool = True,
    ) -> None:
        if mode not in _MODES:
            raise ValueError(f"invalid ZipStore mode {mode!r}; expected one of {_MODES}")
        super().__init__(read_only=mode == "r" if read_only is None else read_only)
        self.path = Path(path) if isinstance(path, str) else path
        self._zmode = mode
        self.compression = compression
        self.allowZip64 = allowZip64
        self._handle = _ZipHandle()

    # -- lifecycle ------------------------------------------------------------

    def _open_zipfile(self) -> None:
        with self._handle.lock:
            if self._handle.zf is not None:
                return
            if self.read_only:
                source: str | Path | io.BytesIO = self.path
                if self._zmode != "r" and not os.path.exists(self.path):
                    # a read-only store in a writing mode over no file yet: empty, and nothing created
                    source = io.BytesIO()
                    zipfile.ZipFile(source, mode="w").close()
                self._handle.zf = zipfile.ZipFile(source, mode="r", allowZip64=self.allowZip64)
                return
            target = os.path.realpath(self.path)  # a symlinked zip stays a symlink
            if self._zmode == "x" and os.path.exists(target):
                raise FileExistsError(f"cannot create {self} with mode 'x': {self.path} exists")
            folder, name = os.path.split(target)
            remove_orphaned_temp_files(folder, recursive=False, prefix=f".{name}.")
            temp = temp_name(target)
            try:
                mode: Literal["w", "a"] = "w"
                if self._zmode == "a" and os.path.exists(target):
                    shutil.copyfile(target, temp)
                    mode = "a"
                self._handle.zf = self._zipfile(temp, mode)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                raise
            self._handle.temp, self._handle.target = temp, target

    def _zipfile(self, file: str, mode: Literal["w", "a"]) -> zipfile.ZipFile:
        return zipfile.ZipFile(file, mode=mode, compression=self.compression, allowZip64=self.allowZip64)

    async def _open(self) -> None:
        self._open_zipfile()
        await super()._open()

    def close(self) -> None:
        """Write the zip's central directory and, when writing, rename the finished file over ``path``."""
        super().close()
        with self._handle.lock:
            zf, temp, target = self._handle.zf, self._handle.temp, self._handle.target
            self._handle.zf = self._handle.temp = self._handle.target = None
            if zf is None:
                return
            zf.close()
            if temp is not None and target is not None:
                if os.path.exists(target):  # keep the zip's permissions
                    shutil.copymode(target, temp)
                with open(temp, "rb") as f:  # the bytes reach the disk before the rename
                    os.fsync(f.fileno())
                os.replace(temp, target)

    async def move(self, path: Path | str) -> None:
        """Move the zip file to ``path`` (which must not exist): finished first, so nothing written is
        lost, then reopened there; a store made with mode 'w' or 'x' goes on adding to it (mode 'a')."""
        dest = Path(path)
        if dest.exists():
            raise FileExistsError(f"cannot move {self} to {dest}: it already exists")
        self.close()
        dest.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.move, self.path, dest)
        self.path = dest
        if self._zmode in ("w", "x"):
            self._zmode = "a"
        await self._open()

    def with_read_only(self, read_only: bool = False) -> ZipStore:
        """A view sharing this store's open zip file (and its lock).

        A writable view of a store that has its zip open for reading only cannot share it:
        NotImplementedError (zarr-python's refusal for stores without this method). So is a writable
        view of a read-only store whose file is not open for writing through a writable twin."""
        if self.read_only and not read_only and self._handle.temp is None:
            raise NotImplementedError(
                f"with_read_only is not implemented for the {type(self)} store type. "
                f"({self} does not have its zip file open for writing; open ZipStore(path, mode='a'))"
            )
        view = type(self)(
            self.path,
            mode=self._zmode,
            read_only=read_only,
            compression=self.compression,
            allowZip64=self.allowZip64,
        )
        view._handle = self._handle
        return view

    def __getstate__(self) -> dict[str, Any]:
        if not self.read_only:
            raise TypeError(
                f"cannot pickle writable {self!r}: its zip file is unfinished until closed; "
                "close it and pickle ZipStore(path, mode='r') instead"
            )
        state = self.__dict__.copy()
        state["_handle"] = None
        state["_is_open"] = False
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._handle = _ZipHandle()

    def __str__(self) -> str:
        return f"zip://{self.path.as_posix()}"

    def __repr__(self) -> str:
        return f"ZipStore('{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self.path == other.path and self.read_only == other.read_only

    __hash__ = None  # type: ignore[assignment]

    async def _locked(self, work: Callable[[zipfile.ZipFile], T]) -> T:
        """Run ``work`` on the open zip file in a worker thread, holding the lock."""
        await self._ensure_open()
        self._open_zipfile()  # a view whose twin closed the shared file reopens it
        return await asyncio.to_thread(self._run_locked, work)

    def _run_locked(self, work: Callable[[zipfile.ZipFile], T]) -> T:
        with self._handle.lock:
            assert self._handle.zf is not None
            return work(self._handle.zf)

    def _locked_here(self, work: Callable[[zipfile.ZipFile], T]) -> T:
        """``_locked`` in the calling thread, for the blocking ``_get``/``_set``."""
        if not self._is_open:
            self._open_zipfile()
            self._is_open = True
        self._open_zipfile()
        return self._run_locked(work)

    def _get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """``get`` in the calling thread (zarr-python's ZipStore has it; its tests read through it)."""
        check_key(key)
        check_byte_request(byte_range)
        data = self._locked_here(lambda zf: self._read(zf, key, byte_range))
        return None if data is None else (prototype or default_buffer_prototype()).buffer.from_bytes(data)

    def _set(self, key: str, value: Buffer) -> None:
        """``set`` in the calling thread (zarr-python's ZipStore has it; its tests write through it)."""
        self._check_writable(key)
        self._check_value(value)
        check_key(key)
        if self._locked_here(lambda zf: self._write(zf, key, value.as_buffer_like())):
            self._warn_shadowed([key])

    # -- reading --------------------------------------------------------------

    @staticmethod
    def _read(zf: zipfile.ZipFile, key: str, byte_range: ByteRequest | None) -> bytes | None:
        try:
            info = zf.getinfo(key)
        except KeyError:
            return None
        if byte_range is None:
            return zf.read(info)
        start, stop = byte_range_bounds(byte_range, info.file_size)
        with zf.open(info) as f:
            f.seek(start)
            return f.read(stop - start)

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        prototype = prototype or default_buffer_prototype()
        check_key(key)
        check_byte_request(byte_range)
        data = await self._locked(lambda zf: self._read(zf, key, byte_range))
        return None if data is None else prototype.buffer.from_bytes(data)

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        """Every read of the batch in one worker thread, under one lock."""
        requests = list(key_ranges)
        for key, byte_range in requests:
            check_key(key)
            check_byte_request(byte_range)
        results = await self._locked(lambda zf: [self._read(zf, k, r) for k, r in requests])
        return [None if data is None else prototype.buffer.from_bytes(data) for data in results]

    async def exists(self, key: str) -> bool:
        check_key(key)
        return await self._locked(lambda zf: key in zf.NameToInfo)

    async def getsize(self, key: str) -> int:
        check_key(key)

        def size(zf: zipfile.ZipFile) -> int:
            try:
                return zf.getinfo(key).file_size
            except KeyError:
                raise FileNotFoundError(f"no key {key!r} in {self}") from None

        return await self._locked(size)

    # -- writing --------------------------------------------------------------

    @property
    def supports_deletes(self) -> bool:
        return False

    def _write(self, zf: zipfile.ZipFile, key: str, data: bytes | memoryview) -> bool:
        """Append an entry for ``key``; True when it shadows an older one."""
        shadows = key in zf.NameToInfo
        info = zipfile.ZipInfo(filename=key, date_time=time.localtime(time.time())[:6])
        info.compress_type = self.compression
        info.external_attr = 0o644 << 16
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Duplicate name", category=UserWarning)
            zf.writestr(info, data)
        return shadows

    def _warn_shadowed(self, keys: Iterable[str]) -> None:
        for key in keys:
            # zipfile's own words first (code filters on them), then what it means here
            warnings.warn(
                f"Duplicate name: {key!r} ({key!r} is already in {self}: zip entries cannot be replaced, "
                "so a new entry was appended; it wins on read and the old one keeps its space)",
                UserWarning,
                stacklevel=3,
            )

    async def set(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        check_key(key)
        if await self._locked(lambda zf: self._write(zf, key, value.as_buffer_like())):
            self._warn_shadowed([key])

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        check_key(key)

        def write_once(zf: zipfile.ZipFile) -> None:
            if key not in zf.NameToInfo:
                self._write(zf, key, value.as_buffer_like())

        await self._locked(write_once)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        """Every write of the batch in one worker thread, under one lock."""
        items = list(values)
        for key, value in items:
            self._check_writable(key)
            self._check_value(value)
            check_key(key)
        shadows = await self._locked(lambda zf: [self._write(zf, k, v.as_buffer_like()) for k, v in items])
        self._warn_shadowed(key for (key, _), shadowed in zip(items, shadows, strict=True) if shadowed)

    async def delete(self, key: str) -> None:
        """Refused for an existing key (zip entries cannot be removed); a missing key is a no-op."""
        self._check_writable(key)
        check_key(key)
        if await self.exists(key):
            raise NotImplementedError(f"cannot delete {key!r}: zip files do not support deleting entries")

    async def delete_dir(self, prefix: str) -> None:
        """'' starts the file afresh; any other prefix is refused unless nothing lives under it."""
        self._check_writable(prefix)
        prefix = prefix.strip("/")
        if prefix == "":
            await self.clear()
            return
        if not await self.is_empty(prefix):
            raise NotImplementedError(f"cannot delete {prefix!r}: zip files do not support deleting entries")

    async def clear(self) -> None:
        """Start the zip file afresh (the only removal a zip file allows)."""
        self._check_writable()
        await self._ensure_open()

        def truncate() -> None:
            with self._handle.lock:
                self._open_zipfile()
                assert self._handle.zf is not None and self._handle.temp is not None
                self._handle.zf.close()
                self._handle.zf = self._zipfile(self._handle.temp, "w")

        await asyncio.to_thread(truncate)

    # -- listing --------------------------------------------------------------

    async def list(self) -> AsyncIterator[str]:
        # NameToInfo has each name once, even after a re-set appended a second entry
        for key in await self._locked(lambda zf: list(zf.NameToInfo)):
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        for key in await self._locked(lambda zf: [k for k in zf.NameToInfo if k.startswith(prefix)]):
            yield key
