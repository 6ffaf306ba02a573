"""``LoggingStore``: a WrapperStore that logs and counts every call, to see what the engine asks for."""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, Self

from zarrnb.abc.store import Store
from zarrnb.storage.wrapper import T_Store, WrapperStore

__all__ = ["LoggingStore"]

_PARENT = logging.getLogger(__name__)


class LoggingStore(WrapperStore[T_Store]):
    """Logs each call (method, key, seconds) at INFO and counts calls per method in ``counter``.

    ``log_level`` is the logger's threshold, as in zarr-python ('WARNING' silences the calls)."""

    def __init__(
        self, store: T_Store, log_level: str = "DEBUG", log_handler: logging.Handler | None = None
    ) -> None:
        super().__init__(store)
        self.counter: Counter[str] = Counter()
        self.log_level = log_level
        self.log_handler = log_handler
        self.logger = self._make_logger()

    @classmethod
    async def open(cls, store_cls: type[T_Store], *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        """Open ``store_cls(*args, **kwargs)`` and wrap it; ``log_level``/``log_handler`` are this store's."""
        log_level = kwargs.pop("log_level", "DEBUG")
        log_handler = kwargs.pop("log_handler", None)
        return cls(await store_cls.open(*args, **kwargs), log_level=log_level, log_handler=log_handler)

    def _make_logger(self) -> logging.Logger:
        # a logger of its own, outside logging's registry, so stores do not leak loggers; its records
        # still propagate to this module's logger and the root's handlers (pytest's caplog, an app's)
        logger = logging.Logger(f"LoggingStore({self._store})", level=self.log_level)
        logger.parent = _PARENT
        handler = self.log_handler
        if handler is None and not logger.hasHandlers():
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
        if handler is not None:
            logger.addHandler(handler)
        return logger

    def _with_store(self, store: T_Store) -> Self:
        return type(self)(store, log_level=self.log_level, log_handler=self.log_handler)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["logger"]
        state["log_handler"] = None  # handlers hold streams and locks
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.logger = self._make_logger()

    def __str__(self) -> str:
        return f"logging-{self._store}"

    @contextmanager
    def log(self, method: str, hint: Any = "") -> Iterator[None]:
        """Log the start and end (with duration) of one call and count it."""
        op = f"{type(self._store).__name__}.{method}" + (f"({hint})" if hint else "")
        self.counter[method] += 1
        self.logger.info(" Calling %s", op)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.logger.info("Finished %s [%.2f s]", op, time.perf_counter() - start)


def _logged(name: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def call(self: LoggingStore[Store], *args: Any, **kwargs: Any) -> Any:
        hint = args[0] if args and isinstance(args[0], str) else ""
        with self.log(name, hint):
            return await getattr(self._store, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Log and count, then forward ``{name}`` to the wrapped store."
    return call


def _logged_listing(name: str) -> Callable[..., AsyncIterator[str]]:
    async def call(self: LoggingStore[Store], *args: Any, **kwargs: Any) -> AsyncIterator[str]:
        with self.log(name, args[0] if args else kwargs.get("prefix", "")):
            async for key in getattr(self._store, name)(*args, **kwargs):
                yield key

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Log and count, then forward ``{name}`` to the wrapped store."
    return call


# One generated override per forwarded method instead of a dozen hand-written twins. ``_set_many``
# is not among them: WrapperStore sends a batch through the logged ``set``, one call per key, as
# zarr-python's store counts them.
for _name in (
    "get",
    "get_partial_values",
    "exists",
    "getsize",
    "getsize_prefix",
    "is_empty",
    "set",
    "set_if_not_exists",
    "delete",
    "delete_dir",
    "clear",
):
    setattr(LoggingStore, _name, _logged(_name))
for _name in ("list", "list_prefix", "list_dir"):
    setattr(LoggingStore, _name, _logged_listing(_name))
del _name
