"""Demo helpers for the notebooks and Binder: the local sample dataset and a local S3 server.

``build_sample(path)`` writes the sample hierarchy the tour opens; ``local_s3()`` serves a replica of NOAA's
public bucket from a local S3 server, so code written for the real bucket runs offline and unchanged.
"""

from __future__ import annotations

import atexit
import tempfile

from zarrnb.demo.noaa import build_noaa_replica
from zarrnb.demo.sample import build_sample
from zarrnb.testing.s3 import LocalS3Server

__all__ = ["NOAA_BUCKET", "build_noaa_replica", "build_sample", "local_s3"]

NOAA_BUCKET = "noaa-nwm-retro-v2-zarr-pds"


class _Shared:
    """The one server of this process, so every notebook cell and helper call reuses it."""

    server: LocalS3Server | None = None
    noaa_uploaded = False


def local_s3(*, noaa: bool = True) -> LocalS3Server:
    """Start this process's local S3 server (once), point the ``AWS_*`` variables at it, and return it.

    With ``noaa=True`` the bucket ``noaa-nwm-retro-v2-zarr-pds`` holds the NOAA replica, so
    ``zarr.open_group('s3://noaa-nwm-retro-v2-zarr-pds', mode='r', storage_options={'anon': True})``
    works as written. The server stops when the process exits.
    """
    if _Shared.server is None or _Shared.server.pid is None:
        _Shared.server = LocalS3Server().start()
        _Shared.noaa_uploaded = False
        atexit.register(_Shared.server.stop)
    server = _Shared.server
    server.apply_env()
    if noaa and not _Shared.noaa_uploaded:
        with tempfile.TemporaryDirectory(prefix="zarrnb-noaa-") as replica:
            build_noaa_replica(replica)
            server.upload_directory(replica, NOAA_BUCKET)
        _Shared.noaa_uploaded = True
    return server
