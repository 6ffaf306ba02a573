"""FsspecStore and ObjectStore behind a fault-injecting proxy in front of the local S3 server.

Every fault (permanent 500, 503, 403, a reset connection, a cut body, a black hole) ends
within its bound with a zarrnb error naming the key (and the status when there is one);
transient faults are retried exactly ``storage.retries`` times, a batch never twice over.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from zarrnb import config
from zarrnb.abc.store import RangeByteRequest, Store
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import FsspecStore, ObjectStore, StoreRequestError, StoreTimeoutError
from zarrnb.testing.fault_proxy import Fault, FaultProxy
from zarrnb.testing.s3 import LocalS3Server

pytestmark = pytest.mark.s3

PROTO = default_buffer_prototype()
BUCKET = "zarrnb-faults"
KEY = "data/c/0"
PAYLOAD = bytes(range(256)) * 8
FAULTS = {
    "500": Fault.http(500, "/" + KEY),
    "503": Fault.http(503, "/" + KEY),
    "403": Fault.http(403, "/" + KEY),
    "reset": Fault.reset("/" + KEY),
    "cut": Fault.cut("/" + KEY),
}
TRANSIENT = {"500", "503", "reset", "cut"}


@pytest.fixture(scope="module")
def proxy(s3_server: LocalS3Server) -> Iterator[FaultProxy]:
    s3_server.create_bucket(BUCKET)
    s3_server.client().put_object(Bucket=BUCKET, Key=KEY, Body=PAYLOAD, ACL="public-read")
    with FaultProxy(s3_server.port) as proxy:  # type: ignore[arg-type]
        yield proxy


def fsspec_store(proxy: FaultProxy) -> FsspecStore:
    """s3fs through the proxy, its own retries cut down so the counts below stay small."""
    import s3fs

    fs = s3fs.S3FileSystem(
        endpoint_url=proxy.endpoint_url,
        skip_instance_cache=True,
        config_kwargs={"retries": {"max_attempts": 1, "mode": "standard"}},
    )
    fs.retries = 1
    return FsspecStore(fs, path=BUCKET)


def object_store(proxy: FaultProxy) -> ObjectStore:
    """obstore's S3Store through the proxy with its own retries off."""
    from obstore.store import S3Store

    retry = {
        "max_retries": 0,
        "backoff": {
            "init_backoff": timedelta(milliseconds=10),
            "max_backoff": timedelta(seconds=1),
            "base": 2,
        },
        "retry_timeout": timedelta(seconds=30),
    }
    inner = S3Store(
        BUCKET,
        endpoint=proxy.endpoint_url,
        aws_endpoint_url_s3=proxy.endpoint_url,
        client_options={"allow_http": True},
        retry_config=retry,  # type: ignore[arg-type]
    )
    return ObjectStore(inner)


STORES: dict[str, Callable[[FaultProxy], Store]] = {"fsspec": fsspec_store, "obstore": object_store}


@pytest.fixture(scope="module")
def stores(proxy: FaultProxy) -> dict[str, Store]:
    """One store per backend for the module: no client is torn down (by the GC, on any loop) mid-test."""
    return {name: make(proxy) for name, make in STORES.items()}


def failing(
    proxy: FaultProxy, fault: Fault | None, call: Any, **settings: Any
) -> tuple[BaseException, int, float]:
    """Run ``call`` with ``fault`` on: (the error it raised, requests for KEY, seconds taken)."""
    proxy.fault = fault
    proxy.requests.clear()
    start = time.monotonic()
    try:
        with config.set({"storage.timeout": 20.0, **settings}):
            asyncio.run(call)
    except Exception as e:
        return e, proxy.hits("/" + KEY), time.monotonic() - start
    finally:
        proxy.fault = None
    raise AssertionError(f"no error with fault {fault}")


@pytest.mark.parametrize("backend", STORES)
def test_store_reads_through_the_proxy(proxy: FaultProxy, stores: dict[str, Store], backend: str) -> None:
    store = stores[backend]
    got = asyncio.run(store.get(KEY, PROTO))
    assert got is not None and got.to_bytes() == PAYLOAD
    assert proxy.hits("/" + KEY) >= 1


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("backend", STORES)
def test_fault_names_key_and_status_and_retries_per_policy(
    proxy: FaultProxy, stores: dict[str, Store], backend: str, fault: str
) -> None:
    store = stores[backend]
    once, hits_once, _ = failing(proxy, FAULTS[fault], store.get(KEY, PROTO), **{"storage.retries": 0})
    error, hits, seconds = failing(proxy, FAULTS[fault], store.get(KEY, PROTO), **{"storage.retries": 1})
    for e in (once, error):
        assert isinstance(e, StoreRequestError), repr(e)
        assert repr(KEY) in str(e) and str(store) in str(e)
        assert e.key == KEY
    if fault.isdigit():
        assert error.status == int(fault) and f"HTTP {fault}" in str(error), repr(error)  # type: ignore[attr-defined]
    # zarrnb's own retry adds one round of the backend's requests, and only for transient faults
    # (a round may be one request shorter when the HTTP client's pooled connection was reset)
    if fault in TRANSIENT:
        assert hits_once < hits <= 2 * hits_once, (hits_once, hits)
    else:
        assert hits == hits_once, (hits_once, hits)
    assert error.attempts == (2 if fault in TRANSIENT else 1)  # type: ignore[attr-defined]
    assert seconds < 10


@pytest.mark.parametrize("fault", ["503", "reset"])
@pytest.mark.parametrize("backend", STORES)
def test_batch_read_fails_once_not_twice_over(
    proxy: FaultProxy, stores: dict[str, Store], backend: str, fault: str
) -> None:
    """A failed range of ``get_partial_values`` is not sent again through ``get``."""
    store = stores[backend]
    _, single, _ = failing(proxy, FAULTS[fault], store.get(KEY, PROTO, RangeByteRequest(0, 64)))
    batch = store.get_partial_values(PROTO, [(KEY, RangeByteRequest(0, 64))])
    error, hits, seconds = failing(proxy, FAULTS[fault], batch)
    assert isinstance(error, StoreRequestError) and repr(KEY) in str(error), repr(error)
    assert hits <= single, (single, hits)  # zarrnb before: the batch's requests, then get()'s again
    assert seconds < 10


@pytest.mark.parametrize("backend", STORES)
def test_black_hole_fails_within_the_timeout(
    proxy: FaultProxy, stores: dict[str, Store], backend: str
) -> None:
    store = stores[backend]
    for call in (store.get(KEY, PROTO), store.get_partial_values(PROTO, [(KEY, RangeByteRequest(0, 8))])):
        error, _, seconds = failing(proxy, Fault.blackhole("/" + KEY), call, **{"storage.timeout": 1.0})
        assert isinstance(error, StoreTimeoutError) and isinstance(error, TimeoutError), repr(error)
        assert repr(KEY) in str(error) and "storage.timeout" in str(error)
        assert 0.9 < seconds < 4


@pytest.mark.parametrize("backend", STORES)
def test_failed_write_names_key_and_status(proxy: FaultProxy, stores: dict[str, Store], backend: str) -> None:
    store = stores[backend]
    error, _, _ = failing(proxy, Fault.http(503, "/" + KEY), store.set(KEY, Buffer.from_bytes(b"new")))
    assert isinstance(error, StoreRequestError) and error.status == 503, repr(error)
    assert repr(KEY) in str(error) and "PUT" in str(error)


def test_default_policy_is_bounded() -> None:
    assert 0 < config.get("storage.timeout") <= 60
    assert config.get("storage.retries") == 1


def test_object_store_error_under_python_O(proxy: FaultProxy, s3_server: LocalS3Server) -> None:
    """No assert carries the error path: under ``-O`` a 503 still names key and status, with no extra HEAD."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from test_remote_faults import KEY, PROTO, object_store
        from zarrnb import config
        from zarrnb.abc.store import RangeByteRequest
        from zarrnb.testing.fault_proxy import Fault, FaultProxy

        with FaultProxy({s3_server.port}) as proxy, config.set({{"storage.retries": 0}}):
            proxy.fault = Fault.http(503, "/" + KEY)
            try:
                asyncio.run(object_store(proxy).get(KEY, PROTO, RangeByteRequest(0, 8)))
            except Exception as e:
                print(type(e).__name__, getattr(e, "status", None), proxy.requests)
        """
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=60, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("StoreRequestError 503 ")
    assert "HEAD" not in done.stdout and done.stdout.count("GET") == 1, done.stdout
