"""zarrnb: Zarr for notebooks — the Zarr-Python 3 API, a fast engine, rich reprs and widgets."""

__version__ = "0.1.0"
