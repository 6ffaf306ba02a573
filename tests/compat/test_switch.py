"""The ``import zarr`` switch, each case in a fresh interpreter (this one may hold zarr-python)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import zarrnb
import zarrnb.compat


def run_python(code: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """stdout of ``python args... -c code`` (or of ``python args...`` when code is empty); fails loudly."""
    command = [sys.executable, *args] + (["-c", textwrap.dedent(code)] if code else [])
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_off_unless_switched_on() -> None:
    out = run_python("""
        import zarrnb, zarrnb.compat, zarr
        print(zarrnb.compat.is_installed(), zarr.__version__, "site-packages" in zarr.__file__)
    """)
    assert out.split() == ["False", "3.1.6", "True"]


def test_install_serves_the_same_module_objects() -> None:
    out = run_python("""
        import sys, zarrnb, zarrnb.compat
        zarrnb.compat.install()
        import zarr, zarr.storage, zarr.core.sync, zarr.core.metadata.v3
        from zarr.errors import NodeNotFoundError
        import zarrnb.core, zarrnb.storage, zarrnb.errors, zarrnb.api.sync, zarrnb.metadata.v3
        print(zarr.__version__)
        print(zarr.Array is zarrnb.Array, zarr.storage is zarrnb.storage,
              zarr.storage.MemoryStore is zarrnb.storage.MemoryStore,
              zarr.core.sync is zarrnb.api.sync, zarr.core.metadata.v3 is zarrnb.metadata.v3,
              NodeNotFoundError is zarrnb.errors.NodeNotFoundError)
        # zarrnb's own modules keep their own names and specs
        print(zarrnb.storage.__spec__.name, zarrnb.api.sync.__name__)
        a = zarr.create_array(store={}, shape=(3,), dtype="i4")
        print(isinstance(a, zarrnb.Array), type(a).__module__)
        zarrnb.compat.uninstall()
        print(zarrnb.compat.is_installed(), any(n == "zarr" or n.startswith("zarr.") for n in sys.modules),
              hasattr(zarrnb.core, "sync"))
        import zarr
        print("site-packages" in zarr.__file__)
    """)
    lines = out.splitlines()
    assert lines[0] == f"3.1.6+zarrnb.{zarrnb.__version__}"
    assert lines[1].split() == ["True"] * 6
    assert lines[2].split() == ["zarrnb.storage", "zarrnb.api.sync"]
    assert lines[3].split() == ["True", "zarrnb.api.array"]
    assert lines[4].split() == ["False", "False", "False"]
    assert lines[5] == "True"


def test_an_unmapped_zarr_path_is_refused_not_taken_from_zarr_python() -> None:
    out = run_python("""
        import zarrnb.compat
        zarrnb.compat.install()
        try:
            import zarr.core.definitely_not_a_module
        except ModuleNotFoundError as exc:
            print(exc.name, "switch" in str(exc))
    """)
    assert out.split() == ["zarr.core.definitely_not_a_module", "True"]


def test_install_refuses_when_zarr_python_is_already_imported() -> None:
    out = run_python("""
        import zarr, zarrnb.compat
        try:
            zarrnb.compat.install()
        except zarrnb.compat.SwitchError as exc:
            print("refused", zarr.__file__ in str(exc), zarrnb.compat.is_installed())
    """)
    assert out.split() == ["refused", "True", "False"]


def test_module_form_switches_on_the_program_and_its_subprocesses(tmp_path: Path) -> None:
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        import subprocess, sys
        import zarr
        print(sys.argv[1:], zarr.__version__)
        child = subprocess.run([sys.executable, "-c", "import zarr; print(zarr.__version__)"],
                               capture_output=True, text=True, check=True)
        print(child.stdout.strip())
    """))
    out = run_python("", "-m", "zarrnb.compat", str(script), "a", "b").splitlines()
    expected = f"3.1.6+zarrnb.{zarrnb.__version__}"
    assert out == [f"['a', 'b'] {expected}", expected]


def test_module_form_runs_a_module(tmp_path: Path) -> None:
    (tmp_path / "probe_mod.py").write_text("import sys, zarr\nprint(sys.argv[1:], zarr.__version__)\n")
    out = run_python("", "-m", "zarrnb.compat", "-m", "probe_mod", "x", cwd=tmp_path)
    assert out.strip() == f"['x'] 3.1.6+zarrnb.{zarrnb.__version__}"


def test_environment_form_for_other_processes() -> None:
    env = zarrnb.compat.environment({"PYTHONPATH": "/elsewhere"})
    assert env["ZARRNB_COMPAT"] == "1"
    assert env["PYTHONPATH"].split(":") == [zarrnb.compat.BOOT_DIR, "/elsewhere"]
    out = run_python("import zarr; print(zarr.__version__)", env=env)
    assert out.strip().endswith(f"+zarrnb.{zarrnb.__version__}")
    exports = run_python("", "-m", "zarrnb.compat", "--env")
    assert "export ZARRNB_COMPAT=1" in exports and zarrnb.compat.BOOT_DIR in exports


def test_module_form_runs_code() -> None:
    code = "import sys, zarr; print(sys.argv[1:], zarr.__version__)"
    out = run_python("", "-m", "zarrnb.compat", "-c", code, "y")
    assert out.strip() == f"['y'] 3.1.6+zarrnb.{zarrnb.__version__}"


def test_pytest_under_the_switch_sees_zarrnb_despite_zarr_pythons_pytest_plugin(tmp_path: Path) -> None:
    # zarr-python registers a pytest11 plugin (zarr.testing) that makes pytest's assertion
    # rewriter, which sits ahead of every other finder, import `zarr` from site-packages
    (tmp_path / "test_probe.py").write_text(
        "import zarr\n\ndef test_probe():\n    assert '+zarrnb.' in zarr.__version__, zarr.__file__\n"
    )
    out = run_python(
        "", "-m", "zarrnb.compat", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-W", "error::pytest.PytestAssertRewriteWarning", str(tmp_path / "test_probe.py"), cwd=tmp_path,
    )  # fmt: skip
    assert "1 passed" in out


@pytest.mark.parametrize("argv", [[], ["-m"], ["-c"]])
def test_module_form_without_a_program_explains_usage(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "zarrnb.compat", *argv], capture_output=True, text=True)
    assert done.returncode == 2 and "usage: python -m zarrnb.compat" in done.stderr
