"""Benchmarks: zarrnb against zarr-python, tensorstore and a plain-Python limit.

Run with ``python -m benchmarks.run`` (``make bench``); see benchmarks/run.py for the options.
"""
