"""What remote stores (FsspecStore, ObjectStore) share: errors naming the key, retries, a time bound.

A backend failure becomes a :class:`StoreRequestError` that names the operation, the key,
the store, the HTTP status when there is one, and the attempts made. Transient failures
(HTTP 5xx and 429, connection resets, cut bodies, backend timeouts) are retried
``storage.retries`` times; every call ends within ``storage.timeout`` seconds (scaled for
batches) with a :class:`StoreTimeoutError` when the endpoint does not answer.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from zarrnb import config
from zarrnb.errors import ZarrnbError

__all__ = ["RetryPolicy", "StoreRequestError", "StoreTimeoutError", "failure_status", "with_retries"]

T = TypeVar("T")

# seconds before the first retry; doubled for each later one
_BACKOFF_S = 0.1
_STATUS_TEXT = re.compile(r"status(?:[ _]?code)?\s*[:=(]?\s*([1-5][0-9]{2})\b", re.IGNORECASE)
# failures without a status that another attempt may cure, as the backends' exception names and messages say
_TRANSIENT_NAMES = {
    "ClientPayloadError",
    "ServerDisconnectedError",
    "ClientOSError",
    "ClientConnectionError",
    "ServerTimeoutError",
    "ConnectionClosedError",
    "EndpointConnectionError",
    "ReadTimeoutError",
    "ConnectTimeoutError",
    "ResponseStreamingError",
    "IncompleteReadError",
    "IncompleteRead",
    "ProtocolError",
}
_TRANSIENT_TEXT = re.compile(
    r"connection (?:reset|closed|refused|aborted)|reset by peer|broken pipe|timed out|timeout|"
    r"incomplete|unexpected eof|end of file|error decoding response body|error sending request|"
    r"body error|payload",
    re.IGNORECASE,
)


class StoreRequestError(ZarrnbError, OSError):
    """A remote store request failed: the message names the key, the store and the HTTP status."""

    def __init__(self, message: str, *, key: str, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.key = key
        self.status = status
        self.attempts = attempts

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only fields: pickle (to a dask worker and back, say) needs telling how to rebuild
        return (_rebuild, (type(self), self.args[0], self.key, self.status, self.attempts))


def _rebuild(
    cls: type[StoreRequestError], message: str, key: str, status: int | None, attempts: int
) -> StoreRequestError:
    return cls(message, key=key, status=status, attempts=attempts)


class StoreTimeoutError(StoreRequestError, TimeoutError):
    """A remote store did not answer within ``storage.timeout`` seconds."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often transient failures are retried and how long one call may take (from ``zarrnb.config``)."""

    retries: int
    timeout: float | None

    @classmethod
    def current(cls) -> RetryPolicy:
        """The policy the settings ``storage.retries`` and ``storage.timeout`` give now."""
        retries = config.get("storage.retries")
        timeout = config.get("storage.timeout")
        if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
            raise ValueError(f"zarrnb setting 'storage.retries' must be an int >= 0, not {retries!r}")
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
        ):
            raise ValueError(f"zarrnb setting 'storage.timeout' must be seconds > 0 or None, not {timeout!r}")
        return cls(retries, None if timeout is None else float(timeout))

    def bound(self, requests: int = 1) -> float | None:
        """Seconds a call carrying ``requests`` requests may take: the timeout per
        ``async.concurrency`` requests (a batch is served that many at a time)."""
        if self.timeout is None:
            return None
        waves = math.ceil(max(requests, 1) / max(int(config.get("async.concurrency")), 1))
        return self.timeout * waves


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not e for e in seen) and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _status_of(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):  # botocore's ClientError
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if isinstance(status, int):
            return status
    for name in ("status", "status_code"):  # aiohttp, requests-likes
        status = getattr(error, name, None)
        if isinstance(status, int) and 100 <= status <= 599:
            return status
    match = _STATUS_TEXT.search(str(error))  # obstore and others put it in the message
    return int(match.group(1)) if match else None


def failure_status(error: BaseException) -> int | None:
    """The HTTP status behind ``error`` (or the errors it was raised from), if any says one."""
    for e in _chain(error):
        status = _status_of(e)
        if status is not None:
            return status
    return None


def is_transient(error: BaseException, status: int | None) -> bool:
    """Whether another attempt may succeed: 5xx, 429, resets, cut bodies, backend timeouts."""
    if status is not None:
        return status >= 500 or status == 429
    for e in _chain(error):
        if isinstance(e, ConnectionError | TimeoutError | asyncio.IncompleteReadError):
            return True
        if type(e).__name__ in _TRANSIENT_NAMES or _TRANSIENT_TEXT.search(str(e)):
            return True
    return False


async def retry_pause(attempt: int) -> None:
    """Wait before retrying after failed attempt number ``attempt`` (exponential backoff)."""
    await asyncio.sleep(_BACKOFF_S * 2 ** (attempt - 1))


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:300] + "..."


def request_error(
    error: BaseException, *, action: str, key: str, store: object, attempts: int
) -> StoreRequestError:
    """The zarrnb error for ``error``, naming the key, the store and the status."""
    status = failure_status(error)
    said = f"HTTP {status}" if status is not None else type(error).__name__
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return StoreRequestError(
        f"{action} {key!r} in {store} failed{tries}: {said}: {_reason(error)}",
        key=key,
        status=status,
        attempts=attempts,
    )


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    action: str,
    key: str,
    store: object,
    keep: Callable[[BaseException], bool] = lambda e: False,
    requests: int = 1,
) -> T:
    """``await attempt()``, retried on transient failures per :class:`RetryPolicy`, within its bound.

    Errors ``keep`` accepts (a missing key, say) pass unchanged and are never retried; every
    other failure becomes a :class:`StoreRequestError` naming ``key``."""
    policy = RetryPolicy.current()
    bound = policy.bound(requests)
    last: BaseException | None = None
    tries = 0
    try:
        async with asyncio.timeout(bound):
            while True:
                tries += 1
                try:
                    return await attempt()
                except Exception as e:
                    if keep(e):
                        raise
                    last = e
                    if tries > policy.retries or not is_transient(e, failure_status(e)):
                        raise request_error(e, action=action, key=key, store=store, attempts=tries) from e
                await retry_pause(tries)
    except TimeoutError as e:
        if isinstance(e, StoreRequestError):
            raise
        earlier = "" if last is None else f" (attempt {tries - 1} had failed: {_reason(last)})"
        raise StoreTimeoutError(
            f"{action} {key!r} in {store}: no answer within {bound:g} s "
            f"(zarrnb setting 'storage.timeout'){earlier}",
            key=key,
            attempts=tries,
        ) from (last or e)
