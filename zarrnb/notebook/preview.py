"""``preview(array)``: pick one or two dimensions, slide through the others, see a map, a line or a table.

What h5web shows: axes labelled from coordinate arrays (north up when the row coordinate
increases, with a flip toggle), a colour bar with numbers, a choice of colour map, colour
limits fixed across slider moves (sampled from the whole array) or per slice, slider
readouts in coordinate values, CF-decoded packed values, and a table for text.

Only the chunks that hold the shown elements are read (plus, for fixed colour limits, a
few chunks sampled once): a slice larger than the view is read as a strided subset
(pictures) or a window (tables), and the widget says so.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
import numpy as np

import zarrnb
from zarrnb.notebook.axes import Coordinate, axis_ticks, dimension_labels, find_coordinates
from zarrnb.notebook.cf import PackedValues
from zarrnb.notebook.colormaps import COLORMAPS, colormap
from zarrnb.notebook.domain import (
    ColourLimits,
    FixedLimits,
    cell_size,
    full_limits,
    robust_limits,
    sample_chunk_selections,
    symmetric,
)
from zarrnb.notebook.plotting import colorbar_svg, heatmap_html, heatmap_png, line_svg
from zarrnb.notebook.selection import ViewPlan, plan_view
from zarrnb.notebook.snapshot import StaticSnapshot, kv_table
from zarrnb.notebook.values import COMPLEX_PARTS, is_plottable, plottable, slice_stats, table_html

__all__ = ["ArrayPreview", "preview"]

SHORT = 16  # a shown dimension this short beside one 8 times longer makes a line view the default
LIMIT_MODES = {"fixed": "fixed across slices", "slice": "per slice"}


def _check_array(array: Any) -> None:
    """Refuse a group (or anything else) with a message that says what to pass instead."""
    if isinstance(array, zarrnb.Group | zarrnb.AsyncGroup):
        raise TypeError(
            f"preview() takes an array, got the group {array.name!r}; "
            "open one of its arrays (group['name']) or explore the group with zarr.browse(group)"
        )
    if not all(hasattr(array, a) for a in ("shape", "dtype", "metadata", "__getitem__")):
        raise TypeError(f"preview() takes a zarr array, got {type(array).__name__}")


class ArrayPreview(StaticSnapshot, widgets.VBox):
    """A previewer of one array: dimension pickers, sliders with coordinate readouts, a view, statistics."""

    def __init__(
        self,
        array: Any,
        *,
        max_pixels: int = 480,
        max_points: int = 1000,
        table_rows: int = 20,
        table_columns: int = 10,
        limits: str = "fixed",
        line_limits: str = "slice",
        colormap_name: str | None = None,
        decode: bool = True,
        sample_chunks: int = 4,
    ) -> None:
        _check_array(array)
        for name, mode in (("limits", limits), ("line_limits", line_limits)):
            if mode not in LIMIT_MODES:
                raise ValueError(f"{name} must be one of {sorted(LIMIT_MODES)}, got {mode!r}")
        # per view: colours compare across slices by default, a line's y axis follows its slice
        self._limit_modes = {"heatmap": limits, "line": line_limits}
        self.array = array
        self.max_pixels, self.max_points = max_pixels, max_points
        self.table_rows, self.table_columns = table_rows, table_columns
        self.sample_chunks = sample_chunks
        self.labels = dimension_labels(array)
        self.coordinates: dict[int, Coordinate] = find_coordinates(array)
        self.packing = PackedValues.from_attributes(
            dict(array.attrs), fill_value=array.fill_value, zarr_format=array.metadata.zarr_format
        )
        self.plan: ViewPlan | None = None
        self.data: np.ndarray | None = None  # the read slice, (rows, columns), decoded
        self.png: bytes = b""
        self.colour_limits: ColourLimits | None = None
        self.flipped = False  # whether the heatmap's first row is the slice's last (north up)
        self.axes: tuple[Any, ...] = ()
        self._sample: list[np.ndarray] | None = None
        self._fixed: dict[tuple[Any, ...], FixedLimits] = {}
        self._holding = False
        ndim, shape = array.ndim, array.shape
        options = [
            (f"{label} ({size})", dim)
            for dim, (label, size) in enumerate(zip(self.labels, shape, strict=True))
        ]
        columns, rows = self._default_shown(tuple(shape))
        self.columns = widgets.Dropdown(options=options, value=columns, description="x / columns")
        self.rows = widgets.Dropdown(options=[("(none)", None), *options], value=rows, description="rows")
        self._label_none()
        self.view = widgets.ToggleButtons(options=self._views(), description="view")
        self.part = widgets.Dropdown(options=COMPLEX_PARTS, value="magnitude", description="complex")
        self.cmap = widgets.Dropdown(
            options=list(COLORMAPS),
            value=colormap_name or self._default_colormap(),
            description="colours",
            layout=widgets.Layout(width="15em"),
            style={"description_width": "4em"},
        )
        self.limits = widgets.Dropdown(
            options=[(text, key) for key, text in LIMIT_MODES.items()],
            value=limits,
            description="limits",
            layout=widgets.Layout(width="15em"),
            style={"description_width": "4em"},
        )
        self.flip = widgets.Checkbox(
            value=False, description="flip rows", indent=False, layout=widgets.Layout(width="8em")
        )
        self.decode = widgets.Checkbox(
            value=decode, description=f"CF decode ({self.packing.describe()})", indent=False
        )
        self.sliders = [
            widgets.IntSlider(min=0, max=max(size - 1, 0), description=label, continuous_update=False)
            for label, size in zip(self.labels, shape, strict=True)
        ]
        self.readouts = [widgets.HTML(layout=widgets.Layout(min_width="10em")) for _ in self.sliders]
        self.figure = widgets.HTML()
        self.stats = widgets.HTML()
        self.note = widgets.HTML()
        for control in (self.columns, self.rows):
            control.observe(self._on_dimension, names="value")
            control.layout.display = "" if ndim else "none"
        self.part.layout.display = "" if array.dtype.kind == "c" else "none"
        self.decode.layout.display = "" if self.packing.applies_to(array.dtype) else "none"
        self.limits.observe(self._on_limits, names="value")
        for control in (self.view, self.part, self.cmap, self.flip, self.decode, *self.sliders):
            control.observe(self._on_change, names="value")
        title = widgets.HTML(f"<b>{html.escape(self._title())}</b>")
        self.picture_controls = widgets.HBox(
            [self.cmap, self.limits, self.flip], layout=widgets.Layout(flex_flow="row wrap")
        )
        controls = widgets.VBox(
            [
                widgets.HBox([self.columns, self.rows, self.part]),
                self.view,
                self.picture_controls,
                self.decode,
            ]
        )
        sliders = widgets.VBox(
            [widgets.HBox([s, r]) for s, r in zip(self.sliders, self.readouts, strict=True)]
        )
        super().__init__([title, controls, sliders, self.figure, self.stats, self.note])
        self.add_class("zarrnb-preview")
        self._sync_views()
        self.refresh()

    # --- choices -----------------------------------------------------------------------------

    def _title(self) -> str:
        return f"{self.array.name} shape={tuple(self.array.shape)} dtype={self.array.dtype}"

    @staticmethod
    def _default_shown(shape: tuple[int, ...]) -> tuple[int | None, int | None]:
        """(columns, rows): the last two dimensions, or only the long one beside a short one (a line)."""
        ndim = len(shape)
        if ndim == 0:
            return None, None
        if ndim == 1:
            return 0, None
        rows, columns = ndim - 2, ndim - 1
        short, long = sorted((rows, columns), key=lambda d: shape[d])
        if shape[short] <= SHORT and shape[long] >= 8 * max(shape[short], 1):
            return long, None
        return columns, rows

    def _default_colormap(self) -> str:
        """Categorical for booleans and integers with few values (masks, classes); else sequential."""
        kind = self.array.dtype.kind
        if kind == "b":
            return "categorical"
        if kind in "iu" and not self.packing.applies_to(self.array.dtype):
            sample = self._sample_chunks()
            if sample and any(chunk.size for chunk in sample):
                values = np.unique(np.concatenate(sample))
                if len(values) <= 10 and values.max() - values.min() < 10:
                    return "categorical"
        return "sequential"

    @property
    def shown(self) -> tuple[int, ...]:
        """The shown dimensions: ``(rows, columns)``, ``(x,)``, or ``()`` for a 0-d array."""
        if self.columns.value is None:
            return ()
        return (self.columns.value,) if self.rows.value is None else (self.rows.value, self.columns.value)

    def _label_none(self) -> None:
        """Show "(none)" in the rows picker: ipywidgets leaves a picker whose value is None blank."""
        if self.rows.value is None and self.rows.index is None:
            self.rows.index = 0

    def _on_dimension(self, change: dict[str, Any]) -> None:
        """Swap the two pickers when one is set to the other's dimension, then redraw."""
        other = self.rows if change["owner"] is self.columns else self.columns
        if change["new"] is not None and change["new"] == other.value:
            with self._hold():
                if other is self.columns and change["old"] is None:
                    self.rows.value = None  # the only other dimension: nothing to swap with
                else:
                    other.value = change["old"]
        self._label_none()
        self._sync_views()
        self.refresh()

    def _on_change(self, change: dict[str, Any]) -> None:
        self.refresh()

    def _on_limits(self, change: dict[str, Any]) -> None:
        """Remember the limit mode for the current view, then redraw."""
        if self.view.value in self._limit_modes:
            self._limit_modes[self.view.value] = change["new"]
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

    def _sync_controls(self) -> None:
        """Show a slider where it picks something: other dimensions, or a table window that can move."""
        view = self.view.value
        for dim, (slider, readout) in enumerate(zip(self.sliders, self.readouts, strict=True)):
            if dim in self.shown:
                limit = self._limits_of(view)[self.shown.index(dim)]
                visible = view == "table" and self.array.shape[dim] > limit
            else:
                visible = True
            slider.layout.display = readout.layout.display = "" if visible else "none"
            coordinate = self.coordinates.get(dim)
            text = coordinate.label(slider.value) if coordinate and self.array.shape[dim] else ""
            readout.value = f'<span class="zarrnb-readout">{html.escape(text)}</span>'
        self.picture_controls.layout.display = "" if view in ("heatmap", "line") else "none"
        if view in self._limit_modes and self.limits.value != self._limit_modes[view]:
            with self._hold():
                self.limits.value = self._limit_modes[view]
        self.cmap.layout.display = self.flip.layout.display = "" if view == "heatmap" else "none"

    def _limits_of(self, view: str) -> tuple[int, ...]:
        if view == "table":
            return (self.table_rows, self.table_columns) if len(self.shown) == 2 else (self.table_rows,)
        return (self.max_pixels,) * 2 if view == "heatmap" else (self.max_points,)

    # --- reading and drawing -----------------------------------------------------------------

    def _decoded(self, raw: np.ndarray) -> np.ndarray:
        return self.packing.decode(raw) if self.decode.value else raw

    def _sample_chunks(self) -> list[np.ndarray]:
        """Raw values of a few chunks spread over the array, read once (for fixed colour limits)."""
        if self._sample is None:
            shape, chunks = tuple(self.array.shape), tuple(self.array.chunks)
            selections = sample_chunk_selections(shape, chunks, max_chunks=self.sample_chunks)
            self._sample = [np.asarray(self.array[s]).ravel() for s in selections]
        return self._sample

    def _fixed_limits(self, kind: str, values: np.ndarray) -> FixedLimits:
        """The fixed limits for a view kind under the current decoding and complex part.

        Made from the sampled chunks and the first slice shown (``values``), so the first
        picture does not widen what it started.
        """
        key = (kind, self.decode.value, self.part.value)
        if key not in self._fixed:
            samples = [plottable(self._decoded(c), self.part.value) for c in self._sample_chunks()]
            self._fixed[key] = FixedLimits(samples, robust=kind == "colour", first=values)
        return self._fixed[key]

    def refresh(self) -> None:
        """Read the shown slice and redraw the view, statistics and note; errors show in the note."""
        if self._holding:
            return
        shown, view = self.shown, self.view.value
        self._sync_controls()
        indices = {dim: slider.value for dim, slider in enumerate(self.sliders)}
        try:
            plan = plan_view(
                tuple(self.array.shape), shown, indices, self._limits_of(view), window=view == "table"
            )
            data = self._decoded(plan.arrange(np.asarray(self.array[plan.selection])))
            figure = self._draw(view, plan, data) if data.size else "<i>the slice is empty</i>"
            stats = kv_table(slice_stats(data, self.part.value).items(), "zarrnb-stats")
        except Exception as error:  # shown inside the widget, never raised out of it
            message = html.escape(f"{type(error).__name__}: {error}")
            self.note.value = f'<span class="zarrnb-error">{message}</span>'
            return
        self.plan, self.data = plan, data
        self.figure.value, self.stats.value = figure, stats
        self.note.value = html.escape(self._describe(plan, data))

    def _labels_along(self, dim: int, positions: range) -> list[str]:
        coordinate = self.coordinates.get(dim)
        if coordinate is None:
            return [str(p) for p in positions]
        return coordinate.labels(positions)

    def _limits_for(self, kind: str, values: np.ndarray) -> ColourLimits:
        """Colour (or line) limits of this slice under the chosen mode."""
        if self.limits.value == "fixed":
            fixed = self._fixed_limits(kind, values)
            lo, hi = fixed.absorb(values)
            source = fixed.source
        else:
            lo, hi = robust_limits(values) if kind == "colour" else (full_limits(values) or (0.0, 1.0))
            source = "per slice" + (" (2nd–98th percentile)" if kind == "colour" else "")
        return ColourLimits(lo, hi, source)

    def _draw(self, view: str, plan: ViewPlan, data: np.ndarray) -> str:
        """Draw the view and return the HTML of the figure area."""
        if view == "table":
            rows = self._labels_along(plan.shown[0], plan.positions[0]) if plan.positions else [""]
            columns = (
                self._labels_along(plan.shown[1], plan.positions[1]) if len(plan.positions) == 2 else None
            )
            grid = data.reshape(len(rows), -1) if columns else data.reshape(-1)
            return table_html(grid, rows, columns, row_title=self.labels[plan.shown[0]] if plan.shown else "")
        values = plottable(data, self.part.value)
        units = self.array.attrs.get("units", "")
        y_title = f"{self.array.basename}" + (f" ({units})" if isinstance(units, str) and units else "")
        if view == "line":
            limits = self._limits_for("line", values)
            self.colour_limits = limits
            dim = plan.shown[0]
            width = max(480, min(720, 4 * len(values)))
            x_axis = axis_ticks(
                self.labels[dim], self.coordinates.get(dim), plan.positions[0], width / len(values)
            )
            self.axes = (x_axis,)
            return line_svg(values, x_axis, (limits.lo, limits.hi), y_title=y_title)
        return self._heatmap(plan, values, y_title)

    def _heatmap(self, plan: ViewPlan, values: np.ndarray, title: str) -> str:
        """The heatmap: north up when the row coordinate increases, axes, colour bar with numbers."""
        cmap = colormap(self.cmap.value)
        limits = self._limits_for("category" if cmap.categorical else "colour", values)
        lo, hi = limits.lo, limits.hi
        if cmap.categorical:
            lo, hi = float(np.floor(lo)), float(np.ceil(hi))
        elif cmap.name == "diverging":
            lo, hi = symmetric(lo, hi)
        self.colour_limits = ColourLimits(lo, hi, limits.source)
        row_dim, column_dim = plan.shown
        row_coordinate = self.coordinates.get(row_dim)
        north_up = False
        if row_coordinate is not None and row_coordinate.kind == "number" and len(plan.positions[0]) > 1:
            ends = row_coordinate.values(plan.positions[0])[[0, -1]]
            north_up = bool(ends[-1] > ends[0])
        self.flipped = north_up != self.flip.value
        shown = values[::-1] if self.flipped else values
        cell = cell_size(*shown.shape)
        self.png = heatmap_png(shown, lo, hi, cmap, cell)
        x_axis = axis_ticks(
            self.labels[column_dim], self.coordinates.get(column_dim), plan.positions[1], cell.column
        )
        y_axis = axis_ticks(
            self.labels[row_dim],
            row_coordinate,
            plan.positions[0],
            cell.row,
            reverse=self.flipped,
            min_gap=22,
            vertical=True,
        )
        self.axes = (x_axis, y_axis)
        names = {0: "False", 1: "True"} if self.array.dtype.kind == "b" else None
        bar = colorbar_svg(cmap, lo, hi, y_axis.length, labels=names)
        span = "" if cmap.categorical else f" {lo:.6g} … {hi:.6g}"
        caption = f"{title}; colour limits{span}, {limits.source}; grey is NaN"
        caption = f'<small class="zarrnb-caption">{html.escape(caption)}</small>'
        return heatmap_html(self.png, x_axis, y_axis, bar) + caption

    def _describe(self, plan: ViewPlan, data: np.ndarray) -> str:
        """Say what was read, and whether it is a strided subset or a window."""
        fixed = []
        for dim, index in enumerate(plan.selection):
            if isinstance(index, int):
                coordinate = self.coordinates.get(dim)
                value = f" ({coordinate.label(index)})" if coordinate else ""
                fixed.append(f"{self.labels[dim]}={index}{value}")
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
        if self.decode.value and self.packing.applies_to(self.array.dtype):
            text += f"; CF-decoded ({self.packing.describe()})"
        return text

    def __repr__(self) -> str:
        shown = ", ".join(self.labels[d] for d in self.shown)
        return f"<ArrayPreview {self.array!r} view={self.view.value!r} shown=({shown})>"

    def snapshot_html(self) -> str:
        """The current view as static HTML (image inlined), for renderers without a kernel."""
        view = self.view.value
        names = ("rows", "columns") if len(self.shown) == 2 else ("x",)
        state = ", ".join(f"{n}: {self.labels[d]}" for n, d in zip(names, self.shown, strict=False))
        return (
            f'<div class="zarrnb-preview"><b>{html.escape(self._title())}</b>'
            f"<div>{html.escape(f'view: {view}; {state}')}</div>{self.figure.value}"
            f"{self.stats.value}<div>{self.note.value}</div></div>"
        )


def preview(array: Any, **options: Any) -> ArrayPreview:
    """Return an :class:`ArrayPreview` of ``array``; options as :class:`ArrayPreview` takes them."""
    return ArrayPreview(array, **options)
