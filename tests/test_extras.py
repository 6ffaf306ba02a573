"""The extras split: the core install works alone, and each missing extra names itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]

# the optional packages, hidden from a child interpreter by a meta-path finder
BLOCKED = ("fsspec", "s3fs", "botocore", "aiobotocore", "obstore", "xarray", "dask", "distributed")

CHILD = textwrap.dedent(
    """
    import sys, tempfile, importlib.abc

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Block())
    import numpy as np
    import zarrnb

    # the core: local data, the display layer
    root = zarrnb.open_group(tempfile.mkdtemp() + "/core.zarr", mode="w")
    root.create_array("a", shape=(4,), dtype="i4")[...] = np.arange(4)
    assert root["a"][...].tolist() == [0, 1, 2, 3]
    assert "<" in root._repr_html_()
    assert not any(m.split(".")[0] in BLOCKED for m in sys.modules), sorted(sys.modules)

    def message(action):
        try:
            action()
        except ImportError as error:
            return str(error)
        return "no error"

    print("remote-url:", message(lambda: zarrnb.open_group("s3://bucket/x", mode="r")))
    print("object-store:", message(lambda: zarrnb.storage.ObjectStore))
    print("xarray:", message(lambda: __import__("zarrnb.xarray")))
    print("dask:", message(lambda: __import__("zarrnb.dask")))
    """
)


def test_each_missing_extra_raises_an_import_error_naming_it() -> None:
    code = f"BLOCKED = {BLOCKED!r}\n{CHILD}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert "pip install 'zarrnb[remote]'" in lines["remote-url"] and "s3://bucket/x" in lines["remote-url"]
    assert "pip install 'zarrnb[remote]'" in lines["object-store"]
    assert "pip install 'zarrnb[xarray]'" in lines["xarray"]
    assert "pip install 'zarrnb[dask]'" in lines["dask"]


def test_core_dependencies_and_extras_are_split_as_the_ecosystem_does() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {Requirement(spec).name for spec in project["dependencies"]}
    # donfig: zarrnb.config is a donfig Config, as zarr.config is
    # msgspec: a consolidated root is decoded with its members kept as raw JSON until used
    assert core == {"numpy", "numcodecs", "crc32c", "donfig", "ipywidgets", "pillow", "tqdm", "msgspec"}
    extras = project["optional-dependencies"]
    names = {
        extra: {Requirement(spec).name for spec in extras[extra]} for extra in ("remote", "xarray", "dask")
    }
    assert names == {
        "remote": {"fsspec", "s3fs", "obstore"},
        "xarray": {"xarray"},
        "dask": {"dask", "distributed"},
    }
    assert extras["all"] == ["zarrnb[remote,xarray,dask]"]
    # the demo (and so Binder) installs every extra's packages
    demo = {Requirement(spec).name for spec in extras["demo"]}
    assert set().union(*names.values()) <= demo
    assert "'.[all," in (ROOT / "Makefile").read_text()
