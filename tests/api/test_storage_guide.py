"""Every example of the storage guide (../shared/seed/storage-guide.rst) runs as a doctest with zarrnb.

The guide is read at test time; only its imports are rewritten (``import zarr`` ->
``import zarrnb as zarr``, ``from zarr.`` -> ``from zarrnb.``). Its S3 examples reach the local S3
server through environment variables and read the NOAA replica uploaded under the real bucket name.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "storage-guide.rst"


def _rewrite_imports(text: str) -> str:
    text = re.sub(r"\bimport zarr\b(?!\s+as)", "import zarrnb as zarr", text)
    return text.replace("from zarr.", "from zarrnb.")


@pytest.mark.s3
def test_storage_guide_examples_pass(
    noaa_bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not GUIDE.is_file():
        pytest.skip(f"the storage guide is not in this checkout (looked for {GUIDE.resolve()})")
    source = _rewrite_imports(GUIDE.read_text())
    assert "import zarrnb as zarr" in source
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {}, "storage-guide.rst", str(GUIDE), 0)
    assert len(test.examples) > 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, "".join(failures)
    assert results.attempted == len(test.examples)
