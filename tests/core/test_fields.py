"""``fields=`` on structured arrays: reads and writes against NumPy, errors against zarr-python.

zarr-python 3.1.6 validates ``fields`` but cannot apply it (reads raise ``TypeError``, writes ignore
it and overwrite every field); zarrnb applies it as zarr-python 2 and NumPy do. So NumPy is the
oracle for values, zarr-python for the errors, and zarr-python reads back what zarrnb wrote.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import zarr
from numpy.lib.recfunctions import repack_fields

import zarrnb
from zarrnb.core.fields import pop_fields

DTYPE = np.dtype([("foo", "S3"), ("bar", "i4"), ("baz", "f8")])
DATA = np.array([(b"a%d" % i, i, i * 1.5) for i in range(7)], dtype=DTYPE)
READ_FIELDS: list[Any] = ["foo", ["foo"], ["bar", "baz"], ["baz", "foo"], ["baz", "bar", "foo"], []]
MASK = np.arange(7) % 3 == 0


def structured(module: Any, zarr_format: int, store: Any = None) -> Any:
    """A chunked structured array holding ``DATA`` in ``module`` (zarrnb or zarr-python)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zarr-python: structured v3 has no spec yet
        array = module.create_array(
            store or module.storage.MemoryStore(),
            shape=DATA.shape,
            chunks=(3,),
            dtype=DTYPE,
            zarr_format=zarr_format,
        )
        array[:] = DATA
    return array


@pytest.fixture(params=[2, 3])
def array(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """A zarrnb array in a local folder (so zarr-python can open it too)."""
    return structured(zarrnb, request.param, str(tmp_path / "a.zarr"))


READS: list[tuple[str, Any, Callable[[np.ndarray], np.ndarray]]] = [
    ("get_basic_selection", slice(1, 5), lambda a: a[1:5]),
    ("get_basic_selection", 2, lambda a: a[2]),
    ("get_orthogonal_selection", [0, 4, 6], lambda a: a[[0, 4, 6]]),
    ("get_coordinate_selection", [5, 1, 5], lambda a: a[[5, 1, 5]]),
    ("get_mask_selection", MASK, lambda a: a[MASK]),
    ("get_block_selection", 1, lambda a: a[3:6]),
]


@pytest.mark.parametrize("fields", READ_FIELDS, ids=repr)
@pytest.mark.parametrize(("method", "selection", "expect"), READS, ids=lambda v: str(v)[:24])
def test_read_fields_as_numpy_selects_them(
    array: Any, method: str, selection: Any, expect: Any, fields: Any
) -> None:
    got = getattr(array, method)(selection, fields=fields)
    source = repack_fields(DATA[fields]) if fields else DATA
    wanted = expect(source)
    assert np.asarray(got).dtype == source.dtype  # packed, in the order asked
    np.testing.assert_array_equal(got, wanted)


def test_field_names_inside_subscripts(array: Any) -> None:
    """``a["foo"]``, ``a[1:3, "bar"]``, ``a["bar", "baz"]``, and the oindex/vindex/blocks forms."""
    np.testing.assert_array_equal(array["foo"], DATA["foo"])
    np.testing.assert_array_equal(array[1:3, "bar"], DATA["bar"][1:3])
    np.testing.assert_array_equal(array["baz", 4:], DATA["baz"][4:])
    np.testing.assert_array_equal(array["bar", "baz"], DATA[["bar", "baz"]])
    np.testing.assert_array_equal(array.oindex[[0, 2], "foo"], DATA["foo"][[0, 2]])
    np.testing.assert_array_equal(array.vindex[[6, 0], "baz"], DATA["baz"][[6, 0]])
    np.testing.assert_array_equal(array.vindex[[True, False] * 3 + [True], "bar"], DATA["bar"][::2])
    np.testing.assert_array_equal(array.blocks[2, "bar"], DATA["bar"][6:])
    vindex = array.async_array.vindex
    np.testing.assert_array_equal(asyncio.run(vindex.getitem(([1, 2], "foo"))), DATA["foo"][1:3])


def test_read_into_out(array: Any) -> None:
    out = np.zeros(3, dtype="i4")
    assert array.get_orthogonal_selection([1, 3, 5], out=out, fields="bar") is out
    assert out.tolist() == [1, 3, 5]


WRITES: list[tuple[str, Any, Any]] = [
    ("set_basic_selection", slice(1, 5), slice(1, 5)),
    ("set_orthogonal_selection", [0, 6], [0, 6]),
    ("set_coordinate_selection", [4, 2], [4, 2]),
    ("set_mask_selection", MASK, MASK),
    ("set_block_selection", 1, slice(3, 6)),
]


@pytest.mark.parametrize("fields", ["bar", ["baz"], []], ids=repr)
@pytest.mark.parametrize(("method", "selection", "where"), WRITES, ids=lambda v: str(v)[:24])
def test_write_changes_only_that_field(
    array: Any, method: str, selection: Any, where: Any, fields: Any
) -> None:
    expect = DATA.copy()
    key = fields[0] if isinstance(fields, list) and fields else fields or Ellipsis
    value = np.asarray(DATA[key][where])[::-1] if key is Ellipsis else -np.asarray(DATA[key][where]) - 1
    expect[key][where] = value
    getattr(array, method)(selection, value, fields=fields)
    np.testing.assert_array_equal(array[:], expect)
    # zarr-python reads the same records back from the same store
    theirs = zarr.open_array(str(array.store.root), mode="r", zarr_format=array.metadata.zarr_format)
    np.testing.assert_array_equal(theirs[:], expect)


def test_subscript_writes_one_field(array: Any) -> None:
    expect = DATA.copy()
    array["bar"] = 7
    array[2:4, "foo"] = b"zz"
    array.oindex[[0], "baz"] = -1.0
    array.vindex[[6], "bar"] = 60
    array.blocks[0, "baz"] = 0.5
    expect["bar"] = 7
    expect["foo"][2:4] = b"zz"
    expect["baz"][0] = -1.0
    expect["bar"][6] = 60
    expect["baz"][:3] = 0.5
    np.testing.assert_array_equal(array[:], expect)


def raised(call: Callable[[], Any]) -> tuple[type[BaseException], str]:
    with pytest.raises(Exception) as caught:
        call()
    return caught.type, str(caught.value)


BAD: list[tuple[str, Callable[[Any], Any]]] = [
    ("unknown field", lambda a: a.get_basic_selection(slice(None), fields="nope")),
    ("unknown in a list", lambda a: a.get_orthogonal_selection([1], fields=["foo", "nope"])),
    ("not a name", lambda a: a.get_coordinate_selection([1], fields=3)),
    ("write unknown", lambda a: a.set_basic_selection(slice(None), 1, fields="nope")),
    ("write two fields", lambda a: a.set_mask_selection(MASK, 1, fields=["foo", "bar"])),
]


@pytest.mark.parametrize(("case", "call"), BAD, ids=[b[0] for b in BAD])
def test_bad_fields_raise_zarr_pythons_error(case: str, call: Callable[[Any], Any]) -> None:
    theirs = raised(lambda: call(structured(zarr, 3)))
    ours = raised(lambda: call(structured(zarrnb, 3)))
    assert ours == theirs and theirs[0] is IndexError
    if "unknown" in case:
        assert "'nope'" in ours[1]


def test_fields_on_a_plain_dtype_raise_zarr_pythons_error() -> None:
    def call(module: Any) -> Any:
        array = module.create_array(module.storage.MemoryStore(), shape=(3,), dtype="i4")
        return array.get_basic_selection(fields="a")

    assert raised(lambda: call(zarrnb)) == raised(lambda: call(zarr))


@pytest.mark.parametrize(
    ("subscript", "split"),
    [
        ("a", ("a", ())),
        ((1, "a"), ("a", 1)),
        (("a", "b", slice(2)), (["a", "b"], slice(2))),
        ((1, 2), ([], (1, 2))),
        (3, (None, 3)),
    ],
)
def test_pop_fields_splits_as_zarr_python(subscript: Any, split: Any) -> None:
    from zarr.core.indexing import pop_fields as theirs

    assert pop_fields(subscript) == theirs(subscript) == split
