"""``preview(array)``: pick one or two dimensions, slide through the others, see a plot, a heatmap or a table.

Only the chunks that hold the shown elements are read: a slice larger than the view is
read as a strided subset (pictures) or a window (tables), and the widget says so.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
import numpy as np

from zarrnb.notebook.plotting import colormap_css, heatmap_png, heatmap_scale, line_svg
from zarrnb.notebook.selection import ViewPlan, plan_view
from zarrnb.notebook.snapshot import StaticSnapshot, image_tag, kv_table
from zarrnb.notebook.values import (
    COMPLEX_PARTS,
    is_plottable,
    plottable,
    robust_limits,
    slice_stats,
    table_html,
)

__all__ = ["ArrayPreview", "preview"]


def dimension_labels(array: Any) -> list[str]:
    """The array's dimension names (v2: its ``_ARRAY_DIMENSIONS``), ``dim_<i>`` where a name is missing."""
    names = array.metadata.dimension_labels or (None,) * array.ndim
    return [name if name else f"dim_{i}" for i, name in enumerate(names)]


class ArrayPreview(StaticSnapshot, widgets.VBox):
    """A previewer of one array: dimension pickers, a slider per other dimension, a view and statistics."""

    def __init__(
        self,
        array: Any,
        *,
        max_pixels: int = 320,
        max_points: int = 1000,
        table_rows: int = 20,
        table_columns: int = 10,
    ) -> None:
        self.array = array
        self.max_pixels, self.max_points = max_pixels, max_points
        self.table_rows, self.table_columns = table_rows, table_columns
        self.labels = dimension_labels(array)
        self.plan: ViewPlan | None = None
        self.data: np.ndarray | None = None
        self._holding = False
        ndim, shape = array.ndim, array.shape
        options = [
            (f"{label} ({size})", dim)
            for dim, (label, size) in enumerate(zip(self.labels, shape, strict=True))
        ]
        self.columns = widgets.Dropdown(
            options=options, value=ndim - 1 if ndim else None, description="x / columns"
        )
        self.rows = widgets.Dropdown(
            options=[("(none)", None), *options], value=ndim - 2 if ndim >= 2 else None, description="rows"
        )
        self.view = widgets.ToggleButtons(options=self._views(), description="view")
        self.part = widgets.Dropdown(options=COMPLEX_PARTS, value="magnitude", description="complex")
        self.sliders = [
            widgets.IntSlider(min=0, max=max(size - 1, 0), description=label, continuous_update=False)
            for label, size in zip(self.labels, shape, strict=True)
        ]
        self.image = widgets.Image(format="png")
        self.figure = widgets.HTML()
        self.stats = widgets.HTML()
        self.note = widgets.HTML()
        for control in (self.columns, self.rows):
            control.observe(self._on_dimension, names="value")
            control.layout.display = "" if ndim else "none"
        self.part.layout.display = "" if array.dtype.kind == "c" else "none"
        for control in (self.view, self.part, *self.sliders):
            control.observe(self._on_change, names="value")
        title = widgets.HTML(f"<b>{html.escape(self._title())}</b>")
        controls = widgets.HBox([self.columns, self.rows, self.part])
        sliders = widgets.VBox(self.sliders)
        views = [self.image, self.figure, self.stats, self.note]
        super().__init__([title, controls, self.view, sliders, *views])
        self.add_class("zarrnb-preview")
        self._sync_views()
        self.refresh()

    def _title(self) -> str:
        return f"{self.array.name} shape={tuple(self.array.shape)} dtype={self.array.dtype}"

    @property
    def shown(self) -> tuple[int, ...]:
        """The shown dimensions: ``(rows, columns)``, ``(x,)``, or ``()`` for a 0-d array."""
        if self.columns.value is None:
            return ()
        return (self.columns.value,) if self.rows.value is None else (self.rows.value, self.columns.value)

    def _on_dimension(self, change: dict[str, Any]) -> None:
        """Swap the two pickers when one is set to the other's dimension, then redraw."""
        other = self.rows if change["owner"] is self.columns else self.columns
        if change["new"] is not None and change["new"] == other.value:
            with self._hold():
                if other is self.columns and change["old"] is None:
                    self.rows.value = None  # the only other dimension: nothing to swap with
                else:
                    other.value = change["old"]
        self._sync_views()
        self.refresh()

    def _on_change(self, change: dict[str, Any]) -> None:
        self.refresh()

    @contextlib.contextmanager
    def _hold(self) -> Iterator[None]:
        """Suspend redraws while several controls change together."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def _views(self) -> list[str]:
        """The views that suit the shown dimensions and the dtype, the default first."""
        if not is_plottable(self.array.dtype) or not self.shown:
            return ["table"]
        return ["heatmap", "table"] if len(self.shown) == 2 else ["line", "table"]

    def _sync_views(self) -> None:
        """Offer the suitable views for the shown dimensions and the dtype."""
        views = self._views()
        if list(self.view.options) != views:
            with self._hold():
                keep = self.view.value if self.view.value in views else views[0]
                self.view.options = views
                self.view.value = keep

    def _sync_sliders(self) -> None:
        """Sliders pick the index of the other dimensions; in a table also the first row and column shown."""
        table = self.view.value == "table"
        for dim, slider in enumerate(self.sliders):
            slider.layout.display = "" if table or dim not in self.shown else "none"

    def refresh(self) -> None:
        """Read the shown slice and redraw the view, statistics and note; errors show in the note."""
        if self._holding:
            return
        shown, view = self.shown, self.view.value
        self._sync_sliders()
        if view == "table":
            limits = (self.table_rows, self.table_columns) if len(shown) == 2 else (self.table_rows,)
        else:
            limits = (self.max_pixels,) * 2 if view == "heatmap" else (self.max_points,)
        indices = {dim: slider.value for dim, slider in enumerate(self.sliders)}
        try:
            plan = plan_view(tuple(self.array.shape), shown, indices, limits, window=view == "table")
            data = plan.arrange(np.asarray(self.array[plan.selection]))
            figure = self._draw(view, plan, data) if data.size else "<i>the slice is empty</i>"
            stats = kv_table(slice_stats(data, self.part.value).items(), "zarrnb-stats")
        except Exception as error:  # shown inside the widget, never raised out of it
            message = html.escape(f"{type(error).__name__}: {error}")
            self.note.value = f'<span class="zarrnb-error">{message}</span>'
            return
        self.plan, self.data = plan, data
        self.image.layout.display = "" if view == "heatmap" and data.size else "none"
        self.figure.value, self.stats.value = figure, stats
        self.note.value = html.escape(self._describe(plan, data))

    def _draw(self, view: str, plan: ViewPlan, data: np.ndarray) -> str:
        """Fill the image for a heatmap and return the HTML of the figure area."""
        if view == "table":
            rows = list(plan.positions[0]) if plan.positions else [0]
            columns = list(plan.positions[1]) if len(plan.positions) == 2 else None
            return table_html(data.reshape(len(rows), -1) if columns else data.reshape(-1), rows, columns)
        values = plottable(data, self.part.value)
        if view == "line":
            return line_svg(np.asarray(plan.positions[0]), values, x_label=self.labels[plan.shown[0]])
        lo, hi = robust_limits(values)
        self.image.value = heatmap_png(values, lo, hi, target_size=self.max_pixels)
        self.image.width = str(values.shape[1] * heatmap_scale(values.shape, self.max_pixels))
        return (
            f'<div class="zarrnb-colorbar" style="background:{colormap_css()};width:200px;height:10px"></div>'
            f"<small>colour limits {lo:.6g} … {hi:.6g} (2nd–98th percentile); grey is NaN</small>"
        )

    def _describe(self, plan: ViewPlan, data: np.ndarray) -> str:
        """Say what was read, and whether it is a strided subset or a window."""
        fixed = [
            f"{self.labels[dim]}={index}"
            for dim, index in enumerate(plan.selection)
            if isinstance(index, int)
        ]
        text = f"read {data.size} values" + (f" at {', '.join(fixed)}" if fixed else "")
        if plan.strided:
            steps = ", ".join(
                f"step {p.step} along {self.labels[d]}"
                for d, p in zip(plan.shown, plan.positions, strict=False)
            )
            text += f"; strided subset ({steps}) because the slice is larger than the view"
        if plan.truncated:
            shape = self.array.shape
            spans = ", ".join(
                f"{self.labels[d]} {p.start}–{p.stop - 1} of {shape[d]}"
                for d, p in zip(plan.shown, plan.positions, strict=True)
            )
            text += f"; table shows {spans} (the sliders move the window)"
        return text

    def __repr__(self) -> str:
        shown = ", ".join(self.labels[d] for d in self.shown)
        return f"<ArrayPreview {self.array!r} view={self.view.value!r} shown=({shown})>"

    def snapshot_html(self) -> str:
        """The current view as static HTML (image inlined), for renderers without a kernel."""
        view = self.view.value
        picture = image_tag(self.image.value, "heatmap") if view == "heatmap" and self.image.value else ""
        names = ("rows", "columns") if len(self.shown) == 2 else ("x",)
        state = ", ".join(f"{n}: {self.labels[d]}" for n, d in zip(names, self.shown, strict=False))
        return (
            f'<div class="zarrnb-preview"><b>{html.escape(self._title())}</b>'
            f"<div>{html.escape(f'view: {view}; {state}')}</div>{picture}{self.figure.value}"
            f"{self.stats.value}<div>{self.note.value}</div></div>"
        )


def preview(array: Any, **options: Any) -> ArrayPreview:
    """Return an :class:`ArrayPreview` of ``array``; options as :class:`ArrayPreview` takes them."""
    if not hasattr(array, "shape"):
        kind = type(array).__name__
        raise TypeError(f"preview() takes an array, not {kind}; use zarr.browse() for a group")
    return ArrayPreview(array, **options)
