"""Opening a consolidated format 3 hierarchy whose members stay raw JSON until used gives the results
and errors of parsing the whole ``zarr.json`` with ``json.loads`` (the path it falls back to)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest

import zarrnb
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import consolidated_raw
from zarrnb.metadata.consolidated import LazyNodes
from zarrnb.storage import MemoryStore

pytestmark = pytest.mark.filterwarnings("ignore:Consolidated metadata is currently not part")


def _store(edit: Callable[[str], str] = lambda text: text) -> MemoryStore:
    """A consolidated hierarchy (arrays a0-a2, group g with g/b), its root ``zarr.json`` text edited."""
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=3, attributes={"big": 2**70})
    for i in range(3):
        root.create_array(f"a{i}", shape=(4,), dtype="f8", fill_value=float(i), attributes={"i": i})
    root.create_group("g").create_array("b", shape=(2,), dtype="i2")
    zarrnb.consolidate_metadata(store)

    async def rewrite() -> None:
        text = (await store.get("zarr.json", default_buffer_prototype())).to_bytes().decode()
        await store.set("zarr.json", Buffer.from_bytes(edit(text).encode()))

    zarrnb.api.sync.sync(rewrite())
    return store


def _member(text: str, name: str, change: Callable[[dict[str, Any]], None]) -> str:
    document = json.loads(text)
    change(document["consolidated_metadata"]["metadata"][name])
    return json.dumps(document, indent=2)


def _outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    """What ``action`` returns (its repr) or raises (the error's type and message)."""
    try:
        return "ok", repr(action())
    except Exception as err:
        return type(err).__name__, str(err)


def _listed(store: MemoryStore) -> list[tuple[str, Any]]:
    group = zarrnb.open_consolidated(store, mode="r")
    return [(name, type(node).__name__) for name, node in group.members(max_depth=None)]


def _used(store: MemoryStore) -> list[Any]:
    group = zarrnb.open_consolidated(store, mode="r")
    return [(name, node.shape, node.fill_value, dict(node.attrs)) for name, node in group.arrays()]


def _looked_up(name: str) -> Callable[[MemoryStore], Any]:
    return lambda store: zarrnb.open_consolidated(store, mode="r")[name].metadata


ACTIONS = {
    "listed": _listed,
    "used": _used,
    "a1 looked up": _looked_up("a1"),
    "g/b looked up": _looked_up("g/b"),
    "attributes": lambda store: dict(zarrnb.open_consolidated(store, mode="r").attrs),
}
EDITS = {
    "as written": lambda text: text,
    "bad shape": lambda text: _member(text, "a1", lambda d: d.update(shape="oops")),
    "bad node_type": lambda text: _member(text, "a1", lambda d: d.update(node_type="arrray")),
    "no node_type": lambda text: _member(text, "a1", lambda d: d.pop("node_type")),
    "zarr_format 3.0": lambda text: _member(text, "a1", lambda d: d.update(zarr_format=3.0)),
    "bad data_type": lambda text: _member(text, "g/b", lambda d: d.update(data_type="int99")),
    "NaN literal": lambda text: _member(text, "a2", lambda d: d.update(fill_value=math.nan)),
    "Infinity literal": lambda text: _member(text, "a2", lambda d: d["attributes"].update(x=math.inf)),
    "big integers": lambda text: _member(text, "a0", lambda d: d["attributes"].update(x=[2**90, -(2**65)])),
    "duplicate member": lambda text: text.replace(
        '"metadata": {', '"metadata": {"a2": {"node_type": "group"},', 1
    ),
    "duplicate key": lambda text: text.replace(
        '"shape": [\n          4', '"shape": [5], "shape": [\n          4', 1
    ),
    "broken JSON": lambda text: text.replace('"dtype"', '"dtype",').replace('"int16"', '"int16" 1'),
    "truncated": lambda text: text[:-3],
    "surrogate escape": lambda text: text.replace('"big"', '"\\ud800"'),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_same_outcome_as_parsing_with_json_loads(
    edit: str, action: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(EDITS[edit])
    found = _outcome(lambda: ACTIONS[action](store))
    monkeypatch.setattr(consolidated_raw, "_lazy_root", lambda data: None)  # json.loads, whole
    assert found == _outcome(lambda: ACTIONS[action](store))


def test_array_members_stay_raw_until_used() -> None:
    group = zarrnb.open_consolidated(_store(), mode="r")
    flat = group.async_group.consolidated_metadata.flat
    assert isinstance(flat, LazyNodes)
    kinds = {name: consolidated_raw.is_raw(flat._documents[name]) for name in flat}
    assert kinds == {"a0": True, "a1": True, "a2": True, "g": False, "g/b": True}
    assert flat.node_types() == {"a0": "array", "a1": "array", "a2": "array", "g": "group", "g/b": "array"}
    assert flat.raw("a1") == json.loads(bytes(flat._documents["a1"]))


def test_a_broken_member_fails_when_used_naming_its_document() -> None:
    store = _store(lambda text: _member(text, "a1", lambda d: d.update(shape="oops")))
    group = zarrnb.open_consolidated(store, mode="r")
    arrays = dict(group.arrays())  # listing parses none of them
    with pytest.raises(MetadataValidationError, match=r"a1/zarr\.json"):
        _ = arrays["a1"].shape
    with pytest.raises(MetadataValidationError, match=r"a1/zarr\.json"):
        group["a1"]
    assert arrays["a0"].shape == (4,)


def test_an_integer_past_pythons_digit_limit_in_a_member_fails_when_used() -> None:
    # msgspec reads the digits, json.loads refuses them: the only member json rejects after msgspec
    # accepted the document; it is reported at first use, naming the member's zarr.json
    store = _store(lambda text: text.replace('"i": 1', '"i": ' + "1" * 5000))
    group = zarrnb.open_consolidated(store, mode="r")
    assert [name for name, _ in group.arrays()] == ["a0", "a1", "a2"]
    with pytest.raises(MetadataValidationError, match=r"malformed JSON in .a1/zarr\.json."):
        dict(dict(group.arrays())["a1"].attrs)
