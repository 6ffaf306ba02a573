"""``zarrnb.errors`` has zarr-python's hierarchy; ``zarrnb.config`` is its donfig ``Config``."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import warnings

import donfig
import pytest
import zarr.errors

import zarrnb.config
import zarrnb.errors as errors


@pytest.mark.parametrize("name", zarr.errors.__all__)
def test_every_zarr_python_error_exists_with_the_same_builtin_bases(name: str) -> None:
    theirs = getattr(zarr.errors, name)
    ours = getattr(errors, name)
    builtin_bases = {c for c in inspect.getmro(theirs) if c.__module__ == "builtins"}
    assert builtin_bases <= set(inspect.getmro(ours)), f"{name} misses {builtin_bases - set(ours.__mro__)}"
    for parent in inspect.getmro(theirs)[1:]:
        if parent.__module__ == "zarr.errors":
            assert issubclass(ours, getattr(errors, parent.__name__)), f"{name} is not a {parent.__name__}"


def test_not_found_errors_are_value_errors_and_file_not_found_errors() -> None:
    for cls in (errors.NodeNotFoundError, errors.ArrayNotFoundError, errors.GroupNotFoundError):
        assert issubclass(cls, ValueError) and issubclass(cls, FileNotFoundError)
        assert issubclass(cls, errors.BaseZarrError) and issubclass(cls, errors.ZarrnbError)
    with pytest.raises(ValueError, match="no array"):
        zarrnb.open_array(store={}, mode="r")


def test_zarrnb_extras_stay_inside_the_hierarchy() -> None:
    assert issubclass(errors.ReadOnlyError, errors.BaseZarrError)
    assert issubclass(errors.ChunkDecodeError, errors.BaseZarrError)
    assert issubclass(errors.UnsupportedDataTypeError, errors.MetadataValidationError)
    assert issubclass(errors.BoundsCheckError, IndexError)
    assert issubclass(errors.BoundsCheckError, errors.ZarrnbError)


def test_warnings_classes() -> None:
    assert issubclass(errors.UnstableSpecificationWarning, errors.ZarrFutureWarning)
    assert issubclass(errors.ZarrFutureWarning, FutureWarning)
    assert issubclass(errors.ZarrDeprecationWarning, DeprecationWarning)
    assert issubclass(errors.ZarrUserWarning, UserWarning)
    assert issubclass(errors.ZarrRuntimeWarning, RuntimeWarning)


@pytest.mark.parametrize(
    ("cls", "args", "message"),
    [
        (errors.GroupNotFoundError, ("s", "p"), "No group found in store 's' at path 'p'"),
        (errors.ContainsArrayError, ("s", "p"), "An array exists in store 's' at path 'p'."),
        (errors.MetadataValidationError, ("a", "b", "c"), "Invalid value for 'a'. Expected 'b'. Got 'c'."),
        (errors.ArrayNotFoundError, ("just a message",), "just a message"),
    ],
)
def test_message_templates_as_zarr_python(cls: type, args: tuple, message: str) -> None:
    assert str(cls(*args)) == message
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert str(getattr(zarr.errors, cls.__name__)(*args)) == message


def test_config_is_a_donfig_config_with_zarr_python_keys() -> None:
    config = zarrnb.config.config
    assert isinstance(config, donfig.Config)
    for key in ("async.concurrency", "json_indent", "codec_pipeline.path", "default_zarr_format",
                "array.order", "buffer", "codecs.blosc", "threading.max_workers"):
        assert zarrnb.config.get(key) == config.get(key)
        assert config.get(key) is not None or key == "threading.max_workers"
    with config.set({"array.order": "F"}) as setting:
        assert isinstance(setting, dict) and zarrnb.config.get("array.order") == "F"
    assert zarrnb.config.get("array.order") == "C"
    assert isinstance(zarrnb.config.set({"json_indent": 4}), donfig.config_obj.ConfigSet)
    zarrnb.config.reset()
    assert zarrnb.config.get("json_indent") == 2


def test_module_set_refuses_unknown_keys() -> None:
    with pytest.raises(KeyError, match="nope"):
        zarrnb.config.set({"nope": 1})
    with pytest.raises(KeyError, match="nope"):
        zarrnb.config.get("nope")


def test_zarr_and_zarrnb_environment_variables() -> None:
    code = (
        "import zarrnb.config as c; "
        "print(c.get('default_zarr_format'), c.get('async.concurrency'), c.get('display.max_depth'))"
    )
    env = {"ZARR_DEFAULT_ZARR_FORMAT": "2", "ZARR_ASYNC__CONCURRENCY": "5", "ZARRNB_DISPLAY__MAX_DEPTH": "9"}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["2", "5", "9"]
    env["ZARRNB_ASYNC__CONCURRENCY"] = "6"  # zarrnb's own variable wins
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["2", "6", "9"]


def test_pprint_is_on_the_module_too(capsys: pytest.CaptureFixture[str]) -> None:
    zarrnb.config.pprint()
    assert "json_indent" in capsys.readouterr().out
