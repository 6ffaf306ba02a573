"""The ``zarrnb`` xarray engine (install ``zarrnb[xarray]``): ``xr.open_dataset(..., engine="zarrnb")``."""

from __future__ import annotations

from zarrnb._extras import require

require("xarray", "the zarrnb xarray engine")

from zarrnb.xarray.array import ZarrnbBackendArray  # noqa: E402
from zarrnb.xarray.backend import ZarrnbBackendEntrypoint, open_zarrnb_group  # noqa: E402
from zarrnb.xarray.store import ZarrnbDataStore  # noqa: E402

__all__ = ["ZarrnbBackendArray", "ZarrnbBackendEntrypoint", "ZarrnbDataStore", "open_zarrnb_group"]
