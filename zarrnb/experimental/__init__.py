"""Features whose API may still change, as in zarr-python's ``zarr.experimental``."""
