"""``zarr.core`` under the switch shows its children as zarr-python's does after ``import zarr``."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_children_appear_on_first_access_as_after_zarr_pythons_import() -> None:
    code = textwrap.dedent("""
        import sys, zarrnb, zarrnb.compat, zarrnb.dtype, zarrnb.core.buffer
        zarrnb.compat.install()
        import zarr
        # xarray's feature check, before anything imported zarr.core.dtype by name
        print(hasattr(zarr.core, "dtype"), zarr.core.dtype is zarrnb.dtype, "zarr.core.dtype" in sys.modules)
        print(zarr.core.Buffer is zarrnb.core.buffer.Buffer, hasattr(zarr.core, "no_such_child"))
        print(zarr.core is sys.modules["zarr.core"], zarr.core is not zarrnb.core)
        zarrnb.compat.uninstall()
        import zarrnb.compat.zarr_core as namespace
        print(hasattr(namespace, "dtype"), hasattr(namespace, "sync"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert [line.split() for line in out.splitlines()] == [
        ["True", "True", "True"], ["True", "False"], ["True", "True"], ["False", "False"],
    ]
