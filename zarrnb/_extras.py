"""Optional dependencies, grouped as the package's extras: a missing one names the extra to install.

The core install reads and writes local data and draws the notebook layer; remote stores
(``remote``), the xarray backend (``xarray``) and the Dask helpers (``dask``) need extras,
as zarr-python splits ``zarr[remote]``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "MissingExtraError", "require"]

# top-level module -> the extra that installs it
EXTRAS: dict[str, str] = {
    "fsspec": "remote",
    "s3fs": "remote",
    "obstore": "remote",
    "xarray": "xarray",
    "dask": "dask",
    "distributed": "dask",
}


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def missing_extra(module: str, feature: str, cause: BaseException | None = None) -> MissingExtraError:
    """The error for ``feature`` needing ``module``, naming ``pip install 'zarrnb[<extra>]'``."""
    extra = EXTRAS.get(module.split(".")[0], "all")
    detail = f" ({cause})" if cause is not None else ""
    return MissingExtraError(
        f"{feature} needs the optional dependency {module.split('.')[0]!r}, which is not installed{detail}; "
        f"install it with: pip install 'zarrnb[{extra}]'",
        name=module,
    )


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise an ImportError naming the zarrnb extra to install."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        # the module, or a package it needs (botocore for s3fs), is not installed
        raise missing_extra(module, feature, error) from error
