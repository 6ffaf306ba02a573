"""Demo helpers for the notebooks and Binder: the local sample dataset and a local S3 server.

``build_sample(path)`` writes the sample hierarchy the tour opens; ``local_s3()`` serves the NOAA replica
from a local S3 server so code written for the public bucket runs offline.
"""

from __future__ import annotations

from zarrnb.demo.sample import build_sample

__all__ = ["build_sample"]
