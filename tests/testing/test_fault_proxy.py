"""FaultProxy in front of a plain HTTP server: it forwards, injects each fault, and stops cleanly."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zarrnb.testing.fault_proxy import Fault, FaultProxy

BODY = b"0123456789" * 100


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with FaultProxy(server.server_address[1]) as proxy:
        yield proxy
    server.shutdown()
    server.server_close()


def get(proxy: FaultProxy, path: str, timeout: float = 5) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_forwards_and_counts(proxy: FaultProxy) -> None:
    assert get(proxy, "/a/b") == (200, BODY)
    assert get(proxy, "/a/c") == (200, BODY)
    assert proxy.requests == [("GET", "/a/b"), ("GET", "/a/c")] and proxy.hits("/a/") == 2


def test_status_applies_to_matching_paths_only(proxy: FaultProxy) -> None:
    proxy.fault = Fault.http(503, match="/bad")
    status, body = get(proxy, "/x/bad")
    assert status == 503 and b"Injected503" in body
    assert get(proxy, "/x/good") == (200, BODY)


def test_reset_and_cut(proxy: FaultProxy) -> None:
    proxy.fault = Fault.reset()
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        get(proxy, "/k")
    proxy.fault = Fault.cut()
    with pytest.raises(http.client.IncompleteRead) as info:
        get(proxy, "/k")
    assert len(info.value.partial) == len(BODY) // 2


def test_black_hole_never_answers_and_stop_releases_it(proxy: FaultProxy) -> None:
    proxy.fault = Fault.blackhole()
    start = time.monotonic()
    with pytest.raises(socket.timeout):
        get(proxy, "/k", timeout=0.5)
    assert time.monotonic() - start >= 0.5
    stopped = time.monotonic()
    proxy.stop()
    assert time.monotonic() - stopped < 5
