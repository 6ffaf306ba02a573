"""JSON parsing for large metadata documents: ``json.loads``, with the garbage collector paused.

A consolidated document of 10,000 arrays is some 600,000 new Python objects. Building them triggers
a cyclic collection every 700 new containers and several full collections over the whole heap, which
together cost about as much as the parse itself; parsing makes no reference cycles, so large
documents are parsed with the collector paused (results and errors are ``json.loads``'s own). Pure
code with no zarrnb imports, so every layer may use it.

``orjson`` was measured as the optional faster parser and left out: on these documents it is only
10-20 % faster (object creation dominates, not scanning), and it returns floats for integers beyond
64 bits where ``json`` returns ints, so equal results would need a second pass over the document.
A format 3 consolidated root is not built here at all when it can be helped: ``consolidated_raw``
keeps its members as raw JSON (msgspec) and parses each with ``json.loads`` on first use.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["GC_PAUSE_BYTES", "gc_paused", "loads"]

# documents at least this long are parsed with the garbage collector paused
GC_PAUSE_BYTES = 1 << 16

_pause_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextmanager
def gc_paused(pause: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large tree of new, acyclic objects.

    Nested and concurrent pauses (threads) keep it paused until the last one ends; it is switched
    back on only if it was on when the first began.
    """
    global _pausers, _was_enabled
    if not pause:
        yield
        return
    with _pause_lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()


def loads(data: bytes | bytearray | str) -> Any:
    """``json.loads(data)``, with the collector paused for documents of ``GC_PAUSE_BYTES`` or more."""
    with gc_paused(len(data) >= GC_PAUSE_BYTES):
        return json.loads(data)
