"""numpy-backed data-type objects by family (zarr-python: one module per family; here two hold them all)."""
