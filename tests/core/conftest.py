"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import pytest

import zarrnb.metadata.consolidated as consolidated_module


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The full paths of the consolidated entries parsed from here on (clear it to restart)."""
    seen: list[str] = []
    real = consolidated_module.parse_node_metadata

    def counting(documents, *, path=""):
        seen.append(path)
        return real(documents, path=path)

    monkeypatch.setattr(consolidated_module, "parse_node_metadata", counting)
    return seen
