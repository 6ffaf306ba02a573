"""``numcodecs.zarr3`` under the ``import zarr`` switch, against real zarr-python in other processes.

zarr-python runs in a plain subprocess (no switch); zarrnb runs under ``python -m zarrnb.compat``,
where ``import numcodecs.zarr3`` must work and its codecs must be usable in zarrnb arrays.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

WRITE = """
import sys, warnings
import numpy as np
import numcodecs.zarr3 as nz
import zarr
warnings.simplefilter("ignore")
root = sys.argv[1]
data = np.arange(-500, 500, dtype="<i4").reshape(20, 50) * 3
a = zarr.create_array(root + "/delta_bz2", shape=data.shape, chunks=(8, 16), dtype="<i4",
                      filters=[nz.Delta(dtype="<i4")], compressors=[nz.BZ2(level=5)], fill_value=0)
a[...] = data
floats = np.linspace(-1, 1, 600).reshape(30, 20)
b = zarr.create_array(root + "/quantize_zlib", shape=floats.shape, chunks=(7, 9), dtype="<f8",
                      filters=[nz.Quantize(digits=3, dtype="<f8")],
                      compressors=[nz.Shuffle(), nz.Zlib(level=2), nz.CRC32()], fill_value=0.5)
b[:25] = floats[:25]
np.save(root + "/expected_delta_bz2.npy", a[...])
np.save(root + "/expected_quantize_zlib.npy", b[...])
print(zarr.__version__)
"""

READ = """
import json, sys, warnings
import numpy as np
import zarr
warnings.simplefilter("ignore")
root = sys.argv[1]
for name in ("delta_bz2", "quantize_zlib"):
    array = zarr.open_array(root + "/" + name, mode="r")
    np.testing.assert_array_equal(array[...], np.load(root + "/expected_" + name + ".npy"))
    print(name, json.dumps([c.to_dict() for c in (*array.filters, array.serializer, *array.compressors)]))
print(zarr.__version__)
"""


def run(script: str, root: Path, *, switch: bool) -> str:
    """Run ``script`` with ``root`` as its argument; under the switch when ``switch``."""
    path = root / ("zarrnb_side.py" if switch else "zarr_python_side.py")
    path.write_text(textwrap.dedent(script))
    command = [sys.executable, *(["-m", "zarrnb.compat"] if switch else []), str(path), str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def written_by_zarr_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zarr_python")
    version = run(WRITE, root, switch=False).strip()
    assert "zarrnb" not in version
    return root


def test_zarrnb_reads_numcodecs_zarr3_arrays_written_by_zarr_python(written_by_zarr_python: Path) -> None:
    out = run(READ, written_by_zarr_python, switch=True)
    assert out.strip().endswith("zarrnb." + __import__("zarrnb").__version__)
    assert '"name": "numcodecs.delta"' in out and '"name": "numcodecs.crc32"' in out


def test_zarr_python_reads_numcodecs_zarr3_arrays_written_by_zarrnb(
    tmp_path: Path, written_by_zarr_python: Path
) -> None:
    version = run(WRITE, tmp_path, switch=True).strip()
    assert version.endswith("zarrnb." + __import__("zarrnb").__version__)
    out = run(READ, tmp_path, switch=False)
    assert "zarrnb" not in out.splitlines()[-1]
    for name in ("delta_bz2", "quantize_zlib"):
        ours = json.loads((tmp_path / name / "zarr.json").read_text())
        theirs = json.loads((written_by_zarr_python / name / "zarr.json").read_text())
        assert ours == theirs
    expected = np.arange(-500, 500, dtype="<i4").reshape(20, 50) * 3
    np.testing.assert_array_equal(np.load(tmp_path / "expected_delta_bz2.npy"), expected)
