"""A progress bar of chunks and bytes for long work, notebook-aware through ``tqdm.auto``.

In Jupyter it draws an ipywidgets bar, in a terminal a text bar; it is created on the
first report, once the total is known.
"""

from __future__ import annotations

from typing import Any

from tqdm.auto import tqdm

from zarrnb.core.copy import CopyProgress

__all__ = ["ChunkProgressBar"]


class ChunkProgressBar:
    """A callable for :func:`zarrnb.core.copy.copy_node`: counts chunks, shows bytes written."""

    def __init__(self, description: str, **tqdm_options: Any) -> None:
        self.description = description
        self.tqdm_options = tqdm_options
        self.bar: Any = None

    def __call__(self, state: CopyProgress) -> None:
        if self.bar is None:
            self.bar = tqdm(
                total=state.chunks_total, desc=self.description, unit="chunk", **self.tqdm_options
            )
        self.bar.set_postfix_str(tqdm.format_sizeof(state.bytes_done, "B", 1024), refresh=False)
        self.bar.update(state.chunks_done - self.bar.n)

    def close(self) -> None:
        """Finish the bar (also after an interruption, which leaves it where it stopped)."""
        if self.bar is not None:
            self.bar.close()
