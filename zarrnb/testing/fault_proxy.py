"""An HTTP proxy on 127.0.0.1 that injects faults in front of a server (the local S3 server, say).

``with FaultProxy(upstream_port) as proxy: proxy.fault = Fault.status(503, match="/c/")``
makes every request whose path contains ``/c/`` answer 503, while the others reach the
server. Faults: an HTTP status, a reset connection, a body cut short, and a black hole
(the request is read and never answered). ``proxy.requests`` records what arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Self

__all__ = ["Fault", "FaultProxy"]

_HEAD_LIMIT = 1 << 16


@dataclass(frozen=True)
class Fault:
    """What the proxy does to requests whose path contains ``match``: ``kind`` is 'status',
    'reset', 'cut' or 'blackhole'; ``status`` is the HTTP status for 'status'."""

    kind: str
    match: str = ""
    status: int = 0

    @classmethod
    def http(cls, status: int, match: str = "") -> Fault:
        """Answer ``status`` with an S3-style XML error body."""
        return cls("status", match, status)

    @classmethod
    def reset(cls, match: str = "") -> Fault:
        """Close the connection with a TCP reset instead of answering."""
        return cls("reset", match)

    @classmethod
    def cut(cls, match: str = "") -> Fault:
        """Forward the request, then send the headers and only half of the body, and close."""
        return cls("cut", match)

    @classmethod
    def blackhole(cls, match: str = "") -> Fault:
        """Read the request and never answer (the connection stays open)."""
        return cls("blackhole", match)

    def applies(self, path: str) -> bool:
        return self.match in path


async def _read_message(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> tuple[bytes, bytes] | None:
    """One HTTP request: (head without the blank line, raw body); None at a clean EOF.

    A client that sent ``Expect: 100-continue`` is told to go on before its body is read."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise
    head = head[:-4]
    headers = _headers(head)
    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    if "content-length" in headers:
        return head, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            line = await reader.readuntil(b"\r\n")
            size = int(line.split(b";")[0], 16)
            body += line + await reader.readexactly(size + 2)
            if size == 0:
                return head, body
    return head, b""


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def _without(head: bytes, names: tuple[str, ...]) -> bytes:
    lines = head.split(b"\r\n")
    kept = [lines[0]] + [
        line for line in lines[1:] if line.split(b":")[0].strip().lower().decode("latin-1") not in names
    ]
    return b"\r\n".join(kept)


def _dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        line, _, rest = rest.partition(b"\r\n")
        size = int(line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


class FaultProxy:
    """A threaded asyncio HTTP/1.1 proxy to ``127.0.0.1:upstream_port`` with a switchable fault."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault: Fault | None = None
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request that arrived
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._held: set[asyncio.StreamWriter] = set()
        self._stopping: asyncio.Event | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hits(self, match: str) -> int:
        """How many requests whose path contains ``match`` arrived."""
        return sum(match in path for _, path in self.requests)

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        ready = threading.Event()

        async def serve() -> None:
            self._stopping = asyncio.Event()
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            await self._stopping.wait()
            server.close()
            for writer in list(self._held):  # black-holed and idle connections close
                writer.transport.abort()
            handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            await asyncio.wait(handlers, timeout=5) if handlers else None

        def run() -> None:
            self._loop = loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(serve())
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="zarrnb-fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise TimeoutError("the fault proxy did not start within 10 s")
        return self

    def stop(self) -> None:
        """Close the server and every connection it holds (black-holed ones included)."""
        loop, self._loop = self._loop, None
        if loop is None or self._stopping is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already ended
            loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- serving --------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._held.add(writer)
        try:
            while (message := await _read_message(reader, writer)) is not None:
                head, body = message
                method, path = head.split(b" ", 2)[:2]
                self.requests.append((method.decode(), path.decode()))
                headers = _headers(head)
                if headers.get("expect", "").lower() == "100-continue":
                    head = _without(head, ("expect",))
                fault = self.fault
                if fault is not None and fault.applies(path.decode()):
                    if not await self._inject(fault, method, head, body, writer):
                        return
                    continue
                reply = await self._forward(method, head, body)
                writer.write(reply)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._held.discard(writer)
            writer.transport.abort()

    async def _inject(
        self, fault: Fault, method: bytes, head: bytes, body: bytes, writer: asyncio.StreamWriter
    ) -> bool:
        """Apply ``fault``; True when the connection may serve another request."""
        if fault.kind == "status":
            xml = (
                f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>Injected{fault.status}</Code>'
                f"<Message>fault injected by the test proxy</Message></Error>"
            ).encode()
            payload = b"" if method == b"HEAD" else xml
            writer.write(
                f"HTTP/1.1 {fault.status} Injected\r\nContent-Type: application/xml\r\n"
                f"Content-Length: {len(xml)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
            return True
        if fault.kind == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:  # linger 0: close() sends RST, not FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if fault.kind == "cut":
            reply = await self._forward(method, head, body)
            top, _, payload = reply.partition(b"\r\n\r\n")
            writer.write(top + b"\r\n\r\n" + payload[: len(payload) // 2])
            await writer.drain()
            return False
        if fault.kind == "blackhole":
            assert self._stopping is not None
            await self._stopping.wait()
            return False
        raise ValueError(f"unknown fault kind {fault.kind!r}")

    async def _forward(self, method: bytes, head: bytes, body: bytes) -> bytes:
        """Send the request upstream on a fresh connection; the reply with a Content-Length."""
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            up_writer.write(_without(head, ("connection",)) + b"\r\nConnection: close\r\n\r\n" + body)
            await up_writer.drain()
            raw = await up_reader.read()
        finally:
            up_writer.close()
        top, _, payload = raw.partition(b"\r\n\r\n")
        headers = _headers(top)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            payload = _dechunk(payload)
        top = _without(top, ("connection", "transfer-encoding", "keep-alive"))
        if (method != b"HEAD" and "content-length" not in headers) or "transfer-encoding" in headers:
            top = _without(top, ("content-length",)) + f"\r\nContent-Length: {len(payload)}".encode()
        return top + b"\r\n\r\n" + payload
