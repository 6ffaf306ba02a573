"""``AsyncGroup.empty_like``/``full_like``/``ones_like``/``zeros_like`` and ``Group.create_group``/
``require_group(name, **kwargs)``, compared with zarr-python's on the same calls."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.core.group_like import register_like_creators


def made_like(module: Any, kind: str, zarr_format: int, **kwargs: Any) -> dict[str, Any]:
    """Through ``module``'s AsyncGroup, a child made by ``kind`` from a chunked array; what it holds."""

    async def go() -> dict[str, Any]:
        group = await module.api.asynchronous.group(
            store=module.storage.MemoryStore(), zarr_format=zarr_format
        )
        source = await group.create_array("src", shape=(6, 4), chunks=(3, 2), dtype="i4", fill_value=7)
        made = await getattr(group, kind)(name="made", data=source, **kwargs)
        reopened = await group.getitem("made")
        return {
            "path": made.path,
            "shape": reopened.shape,
            "chunks": reopened.chunks,
            "dtype": str(reopened.dtype),
            "fill_value": reopened.metadata.fill_value,
            "values": (await reopened.getitem(slice(None))).tolist(),
        }

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return asyncio.run(go())


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("empty_like", {}),
        ("zeros_like", {}),
        ("ones_like", {}),
        ("full_like", {}),
        ("full_like", {"fill_value": 5}),
        ("zeros_like", {"chunks": (2, 2)}),
    ],
)
def test_like_methods_as_zarr_python(kind: str, kwargs: dict[str, Any], zarr_format: int) -> None:
    ours = made_like(zarrnb, kind, zarr_format, **kwargs)
    assert ours["path"] == "made" and ours["shape"] == (6, 4)
    if zarr_format == 3:
        assert ours == made_like(zarr, kind, zarr_format, **kwargs)
    else:
        # zarr-python's fail here: a v2 source hands its compressor to a format-3 default creation
        fill = {"empty_like": 7, "full_like": kwargs.get("fill_value", 7), "ones_like": 1}.get(kind, 0)
        assert ours["chunks"] == kwargs.get("chunks", (3, 2)) and ours["fill_value"] == fill
        assert ours["values"] == [[fill] * 4] * 6


def test_like_methods_refuse_unknown_creators() -> None:
    with pytest.raises(ValueError, match="'nope_like'"):
        register_like_creators(nope_like=zarrnb.api.asynchronous.empty_like)


def test_sync_group_like_goes_through_the_async_group() -> None:
    group = zarrnb.group(store=zarrnb.storage.MemoryStore())
    source = group.create_array("src", shape=(3,), dtype="f4", fill_value=1.5)
    made = group.full_like(name="x", data=source)
    assert isinstance(made, zarrnb.Array) and made[:].tolist() == [1.5, 1.5, 1.5]
    np.testing.assert_array_equal(group.zeros_like(name="y", data=np.ones((2, 2)))[:], np.zeros((2, 2)))


@pytest.mark.parametrize("module", [zarr, zarrnb], ids=["zarr-python", "zarrnb"])
def test_create_and_require_group_forward_keywords(module: Any) -> None:
    group = module.group(store=module.storage.MemoryStore())
    child = group.create_group("a", attributes={"k": 1})
    assert isinstance(child, module.Group) and dict(child.attrs) == {"k": 1}
    with pytest.raises(module.errors.ContainsGroupError):
        group.create_group("a")
    assert dict(group.create_group("a", overwrite=True).attrs) == {}
    assert group.require_group("a").path == "a"
    assert dict(group.require_group("b", overwrite=True).attrs) == {}
    with pytest.raises(TypeError):
        group.require_group("a", attributes={})  # not one of AsyncGroup.require_group's parameters
    with pytest.raises(TypeError):
        group.create_group("c", nope=1)
