"""The retry and time policy of remote stores, without a network: classification, counts, bounds."""

from __future__ import annotations

import asyncio
import errno
import pickle
import time

import pytest

from zarrnb import config
from zarrnb.storage._remote import (
    RetryPolicy,
    StoreRequestError,
    StoreTimeoutError,
    failure_status,
    is_transient,
    with_retries,
)


class FakeClientError(Exception):
    """Shaped like botocore's ClientError: the status in ``response``."""

    def __init__(self, status: int) -> None:
        super().__init__(f"An error occurred (X) ({status})")
        self.response = {"ResponseMetadata": {"HTTPStatusCode": status}}


def wrapped(cause: BaseException) -> OSError:
    """What s3fs raises: an OSError raised from the client's error."""
    try:
        raise OSError(errno.EIO, "translated") from cause
    except OSError as e:
        return e


@pytest.mark.parametrize(
    ("error", "status", "transient"),
    [
        (wrapped(FakeClientError(503)), 503, True),
        (wrapped(FakeClientError(500)), 500, True),
        (wrapped(FakeClientError(429)), 429, True),
        (wrapped(FakeClientError(403)), 403, False),
        (Exception("Server returned non-2xx status code: 502 Bad Gateway"), 502, True),
        (Exception("GET http://127.0.0.1:9000/b/k - status code: 404"), 404, False),
        (
            Exception(
                "Error performing GET http://127.0.0.1:500/x in 2ms - HTTP error: error sending request"
            ),
            None,
            True,
        ),
        (ConnectionResetError(104, "reset by peer"), None, True),
        (wrapped(ConnectionResetError()), None, True),
        (ValueError("bad configuration"), None, False),
    ],
)
def test_status_and_transience(error: BaseException, status: int | None, transient: bool) -> None:
    assert failure_status(error) == status
    assert is_transient(error, failure_status(error)) is transient


def counting(errors: list[BaseException]) -> tuple[list[int], object]:
    calls: list[int] = []

    async def attempt() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "ok"

    return calls, attempt


@pytest.mark.parametrize("retries", [0, 1, 3])
def test_transient_failures_are_retried_as_configured(retries: int) -> None:
    calls, attempt = counting([wrapped(FakeClientError(503))] * 10)
    with config.set({"storage.retries": retries}), pytest.raises(StoreRequestError) as info:
        asyncio.run(with_retries(attempt, action="GET", key="c/0", store="S"))  # type: ignore[arg-type]
    assert len(calls) == retries + 1 == info.value.attempts
    assert info.value.status == 503 and info.value.key == "c/0"
    assert str(info.value).startswith("GET 'c/0' in S failed") and "HTTP 503" in str(info.value)


def test_a_success_after_a_transient_failure_returns() -> None:
    calls, attempt = counting([ConnectionResetError()])
    assert asyncio.run(with_retries(attempt, action="GET", key="k", store="S")) == "ok"  # type: ignore[arg-type]
    assert len(calls) == 2


def test_permanent_failures_and_answers_are_not_retried() -> None:
    calls, attempt = counting([wrapped(FakeClientError(403))] * 3)
    with pytest.raises(StoreRequestError, match="HTTP 403"):
        asyncio.run(with_retries(attempt, action="GET", key="k", store="S"))  # type: ignore[arg-type]
    assert len(calls) == 1
    calls, attempt = counting([FileNotFoundError("k")] * 3)
    with pytest.raises(FileNotFoundError):
        keep = lambda e: isinstance(e, FileNotFoundError)  # noqa: E731
        asyncio.run(with_retries(attempt, action="GET", key="k", store="S", keep=keep))  # type: ignore[arg-type]
    assert len(calls) == 1


def test_no_answer_ends_at_the_timeout_naming_the_key() -> None:
    async def never() -> None:
        await asyncio.sleep(3600)

    start = time.monotonic()
    with config.set({"storage.timeout": 0.2}), pytest.raises(StoreTimeoutError) as info:
        asyncio.run(with_retries(never, action="HEAD", key="a/zarr.json", store="S"))
    assert time.monotonic() - start < 2
    assert isinstance(info.value, TimeoutError) and "'a/zarr.json'" in str(info.value)


def test_batches_get_a_bound_per_concurrency_wave() -> None:
    with config.set({"storage.timeout": 2.0, "async.concurrency": 10}):
        policy = RetryPolicy.current()
        assert (policy.bound(1), policy.bound(10), policy.bound(11), policy.bound(95)) == (2, 2, 4, 20)
    with config.set({"storage.timeout": None}):
        assert RetryPolicy.current().bound(1000) is None


@pytest.mark.parametrize(
    ("name", "value"), [("storage.retries", -1), ("storage.retries", 1.5), ("storage.timeout", 0)]
)
def test_bad_settings_are_named(name: str, value: object) -> None:
    with config.set({name: value}), pytest.raises(ValueError, match=name):
        RetryPolicy.current()


def test_errors_pickle_with_their_fields() -> None:
    error = StoreTimeoutError("GET 'k' in S: no answer", key="k", status=None, attempts=2)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is StoreTimeoutError and str(back) == str(error)
    assert (back.key, back.status, back.attempts) == ("k", None, 2)
