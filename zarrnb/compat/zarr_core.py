"""``zarr.core`` under the switch: a namespace whose submodules the table serves one by one.

zarr-python's ``zarr.core`` gathers modules that zarrnb keeps in several layers (``core``,
``metadata``, ``dtype``, ``api``), so ``zarr.core`` is not ``zarrnb.core`` itself: importing
``zarr.core.sync`` must not set ``zarrnb.core.sync``, nor ``zarr.core.array`` replace
``zarrnb.core.array``. Its children are attached here by the import system.
"""

from __future__ import annotations

# zarr-python re-exports its default pipeline here (the ``zarrs`` plugin imports it from this path)
from zarrnb.codecs.pipeline import CodecPipeline as BatchedCodecPipeline

__all__ = ["BatchedCodecPipeline"]

# a package for the import system: its submodules come only from the switch's table
__path__: list[str] = []
