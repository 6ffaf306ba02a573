"""A store in a directory of the local file system: one file per key.

Writes are atomic (a temp file in the same folder, then ``os.replace``) so a crash
leaves the old value or the new one; keys never escape the root.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import stat
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from zarrnb.abc.store import ByteRequest, RangeByteRequest, Store, SuffixByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype, thread_scratch
from zarrnb.storage._utils import (
    TEMP_GRACE_S,
    byte_range_bounds,
    check_byte_request,
    check_key,
    is_temp_name,
    remove_orphaned_temp_files,
    temp_name,
)

__all__ = ["LocalStore"]

_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
# Byte-range batches up to this many bytes are read inline: a thread hop (about 50 µs) costs more.
_INLINE_RANGE_BYTES = 1 << 16
_INLINE_RANGE_COUNT = 4


_is_temp = is_temp_name
_check_key = check_key
# how often a write re-makes its folder when a concurrent delete pruned it in between
_FOLDER_RETRIES = 100
# the sweep of orphaned temp files per root, once per process (the walk costs)
_sweepers: dict[str, threading.Thread] = {}
_sweepers_lock = threading.Lock()


_TOO_BIG = object()


def _read(path: str, byte_range: ByteRequest | None, budget: int | None = None) -> bytes | object | None:
    """The bytes of ``path`` (or part of them); None when it is not a file (plain os calls: cheap).

    With ``budget``, ``_TOO_BIG`` instead when more than that is to be read (the size is known only
    once the file is open): a whole small file, such as a metadata document, costs no thread hop."""
    return _read_ranges(path, [byte_range], budget)[0]


def _read_ranges(
    path: str, byte_ranges: list[ByteRequest | None], budget: int | None = None
) -> list[bytes | object | None]:
    """``_read`` of several ranges of one file, which is opened once (inner chunks of one shard)."""
    try:
        fd = os.open(path, _READ)
    except (FileNotFoundError, NotADirectoryError):
        return [None] * len(byte_ranges)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return [None] * len(byte_ranges)
        results: list[bytes | object | None] = []
        for byte_range in byte_ranges:
            start, stop = byte_range_bounds(byte_range, info.st_size)
            if budget is not None and stop - start > budget:
                results.append(_TOO_BIG)
                continue
            parts = []
            while start < stop and (part := os.pread(fd, stop - start, start)):
                parts.append(part)
                start += len(part)
            results.append(parts[0] if len(parts) == 1 else b"".join(parts))
        return results
    finally:
        os.close(fd)


def _read_many(requests: list[tuple[str, ByteRequest | None]]) -> list[bytes | object | None]:
    """``_read`` of each request, in order; a run of requests to one file opens it once."""
    results: list[bytes | object | None] = []
    for path, run in itertools.groupby(requests, key=lambda request: request[0]):
        results += _read_ranges(path, [byte_range for _, byte_range in run])
    return results


def _small_ranges(byte_ranges: list[ByteRequest | None]) -> bool:
    """Whether a batch is a few byte ranges of known, small total size (cheaper read than a hop)."""
    if len(byte_ranges) > _INLINE_RANGE_COUNT:
        return False
    total = 0
    for r in byte_ranges:
        if isinstance(r, RangeByteRequest):
            total += r.end - r.start
        elif isinstance(r, SuffixByteRequest):
            total += r.suffix
        else:
            return False
    return total <= _INLINE_RANGE_BYTES


# the methods a subclass overrides to see every read or write
_IO_METHODS = ("get", "get_partial_values", "set", "_set_many")


def _pread_into(fd: int, view: memoryview, offset: int) -> int:
    """Read from ``offset`` into ``view``; how many bytes came (0 at the end of the file)."""
    if _HAS_PREADV:
        return os.preadv(fd, [view], offset)
    data = os.pread(fd, len(view), offset)
    view[: len(data)] = data
    return len(data)


_HAS_PREADV = hasattr(os, "preadv")


def _read_reused(path: str, byte_range: ByteRequest | None = None) -> memoryview | None:
    """The file at ``path`` (or its ``byte_range``) read into this thread's reused buffer; None when
    it is not a file. Plain os calls (open, fstat, one read, close): no file object per chunk."""
    try:
        fd = os.open(path, _READ)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        info = os.fstat(fd)
        return _read_open(fd, info.st_size, byte_range) if stat.S_ISREG(info.st_mode) else None
    finally:
        os.close(fd)


def _read_ranges_reused(
    path: str, byte_ranges: Iterable[ByteRequest | None]
) -> Iterator[memoryview | None]:
    """Each of ``byte_ranges`` of the file at ``path`` in turn, read into this thread's reused buffer
    (each view valid until the next is taken); the file opened once. None each when not a file."""
    try:
        fd = os.open(path, _READ)
    except (FileNotFoundError, NotADirectoryError):
        yield from (None for _ in byte_ranges)
        return
    try:
        info = os.fstat(fd)
        for byte_range in byte_ranges:
            yield _read_open(fd, info.st_size, byte_range) if stat.S_ISREG(info.st_mode) else None
    finally:
        os.close(fd)


def _read_open(fd: int, size: int, byte_range: ByteRequest | None) -> memoryview:
    """``byte_range`` of the open file ``fd`` (``size`` bytes long) in this thread's reused buffer."""
    start, stop = byte_range_bounds(byte_range, size)
    view = memoryview(thread_scratch("local-read", stop - start))
    got = 0
    while got < len(view) and (n := _pread_into(fd, view[got:], start + got)):
        got += n
    return view[:got]


def _create(temp: str) -> int:
    """Create ``temp`` (and its folder when missing: no mkdir per write).

    A concurrent ``delete`` may prune the folder between our mkdir and our open; the temp
    file, once created, keeps the folder non-empty, so retrying the pair converges."""
    for _ in range(_FOLDER_RETRIES):
        try:
            return os.open(temp, _CREATE_NEW, 0o666)
        except FileNotFoundError:
            # a parent pruned mid-makedirs (FileNotFoundError), or a folder pruned between makedirs
            # finding it exists and checking it is a folder (FileExistsError): go again
            with contextlib.suppress(FileNotFoundError, FileExistsError):
                os.makedirs(os.path.dirname(temp), exist_ok=True)
    return os.open(temp, _CREATE_NEW, 0o666)  # still racing after many tries: let the error out


def _write(path: str, data: memoryview, fsync: bool) -> None:
    """Write atomically: a hidden temp file beside ``path``, then one rename (plain os calls: ~25 µs).

    With ``fsync`` the bytes reach the disk before the rename, so a power loss too leaves the
    old value or the new one."""
    temp = temp_name(path)
    try:
        fd = os.open(temp, _CREATE_NEW, 0o666)
    except FileNotFoundError:  # its folder is missing
        fd = _create(temp)
    try:
        try:
            rest = data.cast("B") if data.format != "B" else data
            while rest:
                rest = rest[os.write(fd, rest) :]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def _atomic_write(
    path: Path | str, mode: Literal["wb", "r+b"] = "wb", exclusive: bool = False
) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: a hidden temp file beside it, renamed over ``path`` only when
    the block ends without an error (else removed), so readers see the old bytes or all the new ones.

    ``mode`` 'r+b' starts the temp file from a copy of ``path``'s current bytes (an in-place edit);
    ``exclusive`` refuses, with FileExistsError, a ``path`` that exists by the time of the rename."""
    if mode not in ("wb", "r+b"):
        raise ValueError(f"_atomic_write mode must be 'wb' or 'r+b', not {mode!r} (writing {str(path)!r})")
    path = os.fspath(path)
    temp = temp_name(path)
    try:
        if mode == "r+b":
            shutil.copyfile(path, temp)
        with open(temp, mode) as f:
            yield f
        if exclusive:
            os.link(temp, path)  # fails with FileExistsError instead of replacing, atomically
            os.unlink(temp)
        else:
            os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


class LocalStore(Store):
    """Keys are files under ``root``; ``str(store)`` is ``file://<root>``."""

    root: Path

    def __init__(self, root: Path | str, *, read_only: bool = False, fsync: bool = False) -> None:
        super().__init__(read_only=read_only)
        self.fsync = fsync
        if isinstance(root, str):
            root = Path(root)
        if not isinstance(root, Path):
            # zarr-python's message, word for word (its tests match on it), then the value
            raise TypeError(
                f"'root' must be a string or Path instance. Got an instance of {type(root)} instead "
                f"({root!r})."
            )
        self.root = root

    def with_read_only(self, read_only: bool = False) -> LocalStore:
        return type(self)(self.root, read_only=read_only, fsync=self.fsync)

    def _prepare_root(self) -> None:
        """What opening does to the disk: a writable store makes its root and sweeps old temp files."""
        if not self.read_only:
            self.root.mkdir(parents=True, exist_ok=True)
            self._sweep_in_background()

    async def _open(self) -> None:
        self._prepare_root()
        await super()._open()

    def _ensure_open_sync(self) -> None:
        """``_ensure_open`` for the blocking methods."""
        if not self._is_open:
            self._prepare_root()
            self._is_open = True

    async def move(self, dest_root: Path | str) -> None:
        """Move the whole store to ``dest_root`` (which must not exist yet); the old root is gone after."""
        self._check_writable()
        dest = Path(dest_root)
        if dest.exists():
            # zarr-python's message first: its tests match on it
            raise FileExistsError(f"Destination root {dest} already exists. (moving {self})")
        dest.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.move, self.root, dest)
        self.root = dest

    def remove_orphaned_temp_files(self, grace_s: float = TEMP_GRACE_S) -> int:
        """Remove temp files that killed writes left under the root, if untouched for ``grace_s``
        seconds (a live writer's are younger); returns how many. Opening for writing runs it once."""
        self._check_writable()
        return remove_orphaned_temp_files(str(self.root), recursive=True, grace_s=grace_s)

    def _sweep_in_background(self) -> None:
        """The first writable open of a root in this process sweeps it in a daemon thread
        (the walk visits every folder: the open does not wait for it)."""
        root = os.path.abspath(self.root)
        with _sweepers_lock:
            if root in _sweepers:
                return
            _sweepers[root] = sweeper = threading.Thread(
                target=remove_orphaned_temp_files,
                args=(root,),
                kwargs={"recursive": True},
                name=f"zarrnb-sweep {root}",
                daemon=True,
            )
        sweeper.start()

    def __str__(self) -> str:
        return f"file://{self.root.as_posix()}"

    def __repr__(self) -> str:
        return f"LocalStore('{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self.root == other.root and self.read_only == other.read_only

    def __hash__(self) -> int:
        return hash((type(self), self.root, self.read_only))

    def _path(self, key: str) -> Path:
        _check_key(key)
        return self.root / key

    # ``root`` as a str ending in a separator, remade when ``root`` is replaced (``move``): no Path
    # or os.path work per chunk
    _root_seen: Path | None = None
    _root_prefix = ""

    def _file(self, key: str) -> str:
        """``_path`` as a str, without building Path objects (the per-chunk hot path)."""
        _check_key(key)  # a checked key is relative: the root joined to it is the root, a separator, it
        root = self.root
        if root is not self._root_seen:
            self._root_seen, self._root_prefix = root, os.path.join(os.fspath(root), "")
        return self._root_prefix + key

    # -- reading --------------------------------------------------------------

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        prototype = prototype or default_buffer_prototype()
        path = self._file(key)
        check_byte_request(byte_range)
        data = (
            _read(path, byte_range)
            if _small_ranges([byte_range])
            else _read(path, byte_range, _INLINE_RANGE_BYTES)
        )
        if data is _TOO_BIG:
            data = await asyncio.to_thread(_read, path, byte_range)
        return None if data is None else prototype.buffer.from_bytes(data)

    def get_sync(
        self, key: str, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """``get`` in the calling thread, without an event loop (zarr-python's SupportsGetSync)."""
        path = self._file(key)
        check_byte_request(byte_range)
        self._ensure_open_sync()
        data = _read(path, byte_range)
        return None if data is None else (prototype or default_buffer_prototype()).buffer.from_bytes(data)  # type: ignore[arg-type]

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        """All reads in one worker thread (one hop for the whole batch), or inline for a few small ranges."""
        requests = [(self._file(key), byte_range) for key, byte_range in key_ranges]
        for _, byte_range in requests:
            check_byte_request(byte_range)
        if _small_ranges([r for _, r in requests]):
            results = [_read(p, r) for p, r in requests]
        elif len(requests) <= _INLINE_RANGE_COUNT:
            # a few files: read inline those that turn out small, hop once for the rest
            budget = _INLINE_RANGE_BYTES
            results = []
            for p, r in requests:
                data = _read(p, r, budget)
                budget -= len(data) if isinstance(data, bytes) else 0
                results.append(data)
            large = [i for i, data in enumerate(results) if data is _TOO_BIG]
            if large:
                found = await asyncio.to_thread(lambda: [_read(*requests[i]) for i in large])
                for i, data in zip(large, found, strict=True):
                    results[i] = data
        else:
            results = await asyncio.to_thread(_read_many, requests)
        return [None if data is None else prototype.buffer.from_bytes(data) for data in results]  # type: ignore[arg-type]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # decided once per class: the engine asks on every read and write
        cls._plain_io = all(getattr(cls, name) is getattr(LocalStore, name) for name in _IO_METHODS)

    _plain_io = True

    @property
    def supports_worker_io(self) -> bool:
        # a subclass that intercepts reads or writes must see every chunk, so it gets the async path
        return self._plain_io

    @property
    def supports_inline_calls(self) -> bool:
        """Small reads and writes run on the caller's thread (see ``Store.supports_inline_calls``)."""
        return self.supports_worker_io

    def read_in_worker(self, key: str, byte_range: ByteRequest | None = None) -> memoryview | None:
        """Read into this thread's reused buffer: no allocation per chunk (see ``Store.read_in_worker``)."""
        return _read_reused(self._file(key), byte_range)

    def read_ranges_in_worker(
        self, key: str, byte_ranges: Iterable[ByteRequest | None]
    ) -> Iterator[memoryview | None]:
        """The file opened once for all ``byte_ranges`` (see ``Store.read_ranges_in_worker``)."""
        return _read_ranges_reused(self._file(key), byte_ranges)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def getsize(self, key: str) -> int:
        path = self._path(key)
        try:
            return os.stat(path).st_size
        except FileNotFoundError:
            raise FileNotFoundError(f"no key {key!r} in {self} (looked for {path})") from None

    # -- writing --------------------------------------------------------------

    async def set(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        path = self._file(key)
        await self._ensure_open()
        await asyncio.to_thread(_write, path, value.as_buffer_like(), self.fsync)

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        path = self._path(key)
        if not await asyncio.to_thread(path.exists):
            await self.set(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        """All writes in one worker thread."""
        writes = []
        for key, value in values:
            self._check_writable(key)
            self._check_value(value)
            writes.append((self._file(key), value.as_buffer_like()))
        await asyncio.to_thread(lambda: [_write(p, d, self.fsync) for p, d in writes])

    def set_sync(self, key: str, value: Buffer) -> None:
        """``set`` in the calling thread, as atomic (zarr-python's SupportsSetSync)."""
        self._check_writable(key)
        self._check_value(value)
        path = self._file(key)
        self._ensure_open_sync()
        _write(path, value.as_buffer_like(), self.fsync)

    def delete_sync(self, key: str) -> None:
        """``delete`` in the calling thread (zarr-python's SupportsDeleteSync)."""
        self._check_writable(key)
        self._ensure_open_sync()
        self._delete_sync(self._path(key))

    def write_in_worker(self, key: str, value: bytes | memoryview) -> None:
        """Write in the calling thread, atomically as ``set`` does."""
        self._check_writable(key)
        _write(self._file(key), memoryview(value), self.fsync)

    def _prune_empty_dirs(self, start: Path) -> None:
        """Remove ``start`` and its parents while they are empty, stopping at the root."""
        root = self.root.absolute()
        current = start.absolute()
        while current != root and root in current.parents:
            try:
                current.rmdir()
            except OSError:  # not empty, or already gone by a concurrent delete
                return
            current = current.parent

    def _delete_sync(self, path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        self._prune_empty_dirs(path.parent)

    async def delete(self, key: str) -> None:
        """Remove the file (or directory) at ``key`` and the directories it leaves empty; a file
        in the calling thread (a few syscalls cost less than a thread hop), a directory in a worker."""
        self._check_writable(key)
        path = self._path(key)
        if path.is_dir():
            await asyncio.to_thread(self._delete_sync, path)
        else:
            self._delete_sync(path)

    async def delete_dir(self, prefix: str) -> None:
        self._check_writable(prefix)
        prefix = prefix.strip("/")
        if prefix == "":
            await self.clear()
            return
        path = self._path(prefix)
        if path.is_dir():
            await asyncio.to_thread(self._delete_sync, path)

    async def clear(self) -> None:
        """Remove everything under the root, keeping the root itself."""
        self._check_writable()

        def clear_root() -> None:
            if not self.root.is_dir():
                return
            for entry in os.scandir(self.root):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)

        await asyncio.to_thread(clear_root)

    # -- listing --------------------------------------------------------------

    def _walk(self, base: Path) -> list[str]:
        """Every file under ``base`` as a key, temp files left out."""
        keys = []
        for folder, _, files in os.walk(base):
            relative = Path(folder).relative_to(self.root).as_posix()
            lead = "" if relative == "." else relative + "/"
            keys.extend(lead + name for name in files if not _is_temp(name))
        return keys

    async def list(self) -> AsyncIterator[str]:
        for key in await asyncio.to_thread(self._walk, self.root):
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        """Keys starting with ``prefix``; only the deepest folder the prefix names is walked."""
        folder = prefix.rpartition("/")[0].strip("/")
        base = self._path(folder) if folder else self.root
        for key in await asyncio.to_thread(self._walk, base):
            if key.startswith(prefix):
                yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        folder = prefix.strip("/")
        base = self._path(folder) if folder else self.root

        def names() -> list[str]:
            try:
                return [e.name for e in os.scandir(base) if not _is_temp(e.name)]
            except (FileNotFoundError, NotADirectoryError):
                return []

        for name in await asyncio.to_thread(names):
            yield name
