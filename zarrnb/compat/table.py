"""The map behind the ``import zarr`` switch: zarr-python module path -> the zarrnb module serving it.

One entry per path that users, libraries or zarr-python's own tests import. The zarrnb module
is served as is (the same module object), so ``zarr.storage.MemoryStore is
zarrnb.storage.MemoryStore``. A zarr-python path with no zarrnb module yet is simply absent:
importing it under the switch raises ``ModuleNotFoundError`` naming it.

Rules the tests pin: every value imports; every entry's parent path is an entry too; an entry
with children maps to a package; and a child never replaces a different attribute of the
zarrnb package its parent maps to (the import system sets ``parent.child`` after loading).
"""

from __future__ import annotations

__all__ = ["ZARR_MODULES"]

ZARR_MODULES: dict[str, str] = {
    # the top level: zarrnb's namespace with zarr-python's version and config object
    "zarr": "zarrnb.compat.toplevel",
    # public modules, same shape in zarrnb
    "zarr.abc": "zarrnb.abc",
    "zarr.abc.store": "zarrnb.abc.store",
    "zarr.abc.buffer": "zarrnb.abc.buffer",
    "zarr.abc.codec": "zarrnb.abc.codec",
    "zarr.abc.metadata": "zarrnb.abc.metadata",
    "zarr.abc.numcodec": "zarrnb.abc.numcodec",
    "zarr.buffer": "zarrnb.buffer",
    "zarr.buffer.cpu": "zarrnb.buffer.cpu",
    "zarr.buffer.gpu": "zarrnb.buffer.gpu",
    "zarr.registry": "zarrnb.registry",
    "zarr.api": "zarrnb.api",
    "zarr.api.asynchronous": "zarrnb.api.asynchronous",
    "zarr.api.synchronous": "zarrnb.api.synchronous",
    "zarr.codecs": "zarrnb.codecs",
    "zarr.errors": "zarrnb.errors",
    "zarr.experimental": "zarrnb.experimental",
    "zarr.experimental.cache_store": "zarrnb.experimental.cache_store",
    "zarr.metadata": "zarrnb.metadata",
    "zarr.metadata.migrate_v3": "zarrnb.metadata.migrate_v3",
    "zarr.storage": "zarrnb.storage",
    "zarr.testing": "zarrnb.testing",
    "zarr.testing.store": "zarrnb.testing.store",
    "zarr.testing.buffer": "zarrnb.testing.buffer",
    "zarr.testing.utils": "zarrnb.testing.utils",
    "zarr.testing.strategies": "zarrnb.testing.strategies",
    "zarr.testing.stateful": "zarrnb.testing.stateful",
    # codec modules (zarr-python keeps one per codec, as zarrnb does)
    "zarr.codecs.blosc": "zarrnb.codecs.blosc",
    "zarr.codecs.bytes": "zarrnb.codecs.bytes",
    "zarr.codecs.crc32c_": "zarrnb.codecs.crc32c",
    "zarr.codecs.gzip": "zarrnb.codecs.gzip",
    "zarr.codecs.numcodecs": "zarrnb.codecs.numcodecs",
    "zarr.codecs.sharding": "zarrnb.codecs.sharding",
    "zarr.codecs.transpose": "zarrnb.codecs.transpose",
    "zarr.codecs.vlen_utf8": "zarrnb.codecs.vlen",
    "zarr.codecs.zstd": "zarrnb.codecs.zstd",
    "zarr.codecs._v2": "zarrnb.codecs.v2_codec",
    # internal paths that libraries and zarr-python's tests reach for
    "zarr.core": "zarrnb.compat.zarr_core",
    "zarr.core._info": "zarrnb.core.info",
    "zarr.core.array": "zarrnb.compat.zarr_core_array",
    "zarr.core.attributes": "zarrnb.api.attributes",
    "zarr.core.buffer": "zarrnb.core.buffer",
    "zarr.core.buffer.core": "zarrnb.core.buffer",
    "zarr.core.buffer.cpu": "zarrnb.core.buffer.cpu",
    "zarr.core.buffer.gpu": "zarrnb.core.buffer.gpu",
    "zarr.core.array_spec": "zarrnb.codecs.array_spec",
    "zarr.core.chunk_grids": "zarrnb.metadata.chunk_grid",
    "zarr.core.chunk_key_encodings": "zarrnb.metadata.chunk_key_encoding",
    "zarr.core.codec_pipeline": "zarrnb.codecs.pipeline",
    "zarr.core.common": "zarrnb.core.common",
    "zarr.core.config": "zarrnb.config",
    "zarr.core.dtype": "zarrnb.dtype",
    "zarr.core.dtype.common": "zarrnb.dtype.wrapper",
    "zarr.core.dtype.wrapper": "zarrnb.dtype.wrapper",
    "zarr.core.dtype.registry": "zarrnb.dtype.registry",
    "zarr.core.dtype.npy": "zarrnb.dtype.npy",
    "zarr.core.dtype.npy.bool": "zarrnb.dtype.npy.numeric",
    "zarr.core.dtype.npy.int": "zarrnb.dtype.npy.numeric",
    "zarr.core.dtype.npy.float": "zarrnb.dtype.npy.numeric",
    "zarr.core.dtype.npy.complex": "zarrnb.dtype.npy.numeric",
    "zarr.core.dtype.npy.bytes": "zarrnb.dtype.npy.sized",
    "zarr.core.dtype.npy.string": "zarrnb.dtype.npy.sized",
    "zarr.core.dtype.npy.structured": "zarrnb.dtype.npy.sized",
    "zarr.core.dtype.npy.time": "zarrnb.dtype.npy.sized",
    "zarr.core.dtype.npy.common": "zarrnb.dtype.npy.common",
    "zarr.dtype": "zarrnb.dtype",
    "zarr.core.group": "zarrnb.compat.zarr_core_group",
    "zarr.core.sync_group": "zarrnb.compat.zarr_core_sync_group",
    "zarr.core.indexing": "zarrnb.compat.zarr_core_indexing",
    "zarr.core.metadata": "zarrnb.metadata",
    "zarr.core.metadata.v2": "zarrnb.metadata.v2",
    "zarr.core.metadata.v3": "zarrnb.metadata.v3",
    "zarr.core.sync": "zarrnb.api.sync",
    "zarr.storage._common": "zarrnb.storage.common",
    "zarr.storage._fsspec": "zarrnb.storage.fsspec",
    "zarr.storage._local": "zarrnb.storage.local",
    "zarr.storage._logging": "zarrnb.storage.logging",
    "zarr.storage._memory": "zarrnb.storage.memory",
    "zarr.storage._obstore": "zarrnb.storage.object_store",
    "zarr.storage._utils": "zarrnb.storage._utils",
    "zarr.storage._wrapper": "zarrnb.storage.wrapper",
    "zarr.storage._zip": "zarrnb.storage.zip",
    "zarr.types": "zarrnb.types",
    # zarr-python's deprecated re-export modules (they warn on import, as there)
    "zarr.convenience": "zarrnb.compat.zarr_convenience",
    "zarr.creation": "zarrnb.compat.zarr_creation",
}
