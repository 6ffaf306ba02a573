"""The chunk-grid SVG (zarrnb/display/chunk_grid.py)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.display.chunk_grid import MAX_CHUNKS_DRAWN, render_chunk_grid

SVG = "{http://www.w3.org/2000/svg}"


def figure(*args, **kwargs) -> ET.Element:
    """The figure with its image's SVG document parsed in place of the <img>."""
    root = ET.fromstring(f"<root>{render_chunk_grid(*args, **kwargs)}</root>")
    for parent in root.iter():
        for img in parent.findall("img"):
            scheme, _, data = img.get("src").partition(",")
            assert scheme == "data:image/svg+xml;base64"
            svg = ET.fromstring(base64.b64decode(data))
            for side in ("width", "height"):
                assert abs(float(svg.get(side)) - int(img.get(side))) <= 0.5
            assert img.get("alt").startswith("chunk grid of shape")
            parent.remove(img)
            parent.append(svg)
    return root


def segments(root: ET.Element, cls: str) -> int:
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == cls]
    return sum(p.get("d").count("M") for p in paths)


def polygons(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}polygon"))


def caption(root: ET.Element) -> str:
    return "".join(next(e for e in root.iter("div") if e.get("class") == "zarrnb-caption").itertext())


def test_1d_draws_one_line_per_inner_chunk_boundary() -> None:
    root = figure((1000,), (100,))
    assert len(polygons(root)) == 1
    assert segments(root, "chunk") == 9
    assert caption(root) == "chunks: 10"


def test_2d_edge_chunks_and_labels_with_dimension_names() -> None:
    root = figure((10, 25), (5, 10), dimension_names=("y", "x"))
    assert segments(root, "chunk") == 1 + 2  # rows split once, columns twice (edge chunk of 5)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels == ["x: 25", "y: 10"]
    assert caption(root) == "chunks: 2 × 3 = 6"


def test_3d_draws_three_faces_with_lines_on_each() -> None:
    root = figure((4, 6, 8), (2, 3, 4))
    assert len(polygons(root)) == 3
    # each axis has one inner boundary, drawn on the two visible faces that span it
    assert segments(root, "chunk") == 3 * 2
    assert sorted(t.text for t in root.iter(f"{SVG}text")) == ["4", "6", "8"]


def test_shards_are_drawn_apart_from_chunks() -> None:
    root = figure((100, 100), (10, 10), shards=(50, 50))
    assert segments(root, "shard") == 2
    assert segments(root, "chunk") == 18
    assert "shards: 2 × 2 = 4" in caption(root)


def test_huge_grids_stay_small_and_say_lines_are_left_out() -> None:
    text = render_chunk_grid((10**9, 10**9, 10**9), (1, 1, 1), shards=(10**8, 10**8, 10**8))
    root = figure((10**9, 10**9, 10**9), (1, 1, 1), shards=(10**8, 10**8, 10**8))
    assert len(text) < 6000
    assert segments(root, "chunk") == 0
    assert segments(root, "shard") == 9 * 2 * 3
    assert all("dense" in p.get("class").split() for p in polygons(root))
    assert f"more than {MAX_CHUNKS_DRAWN} chunks or shards" in caption(root)


def test_lines_drawn_up_to_the_bound_exactly() -> None:
    at_bound = figure((MAX_CHUNKS_DRAWN,), (1,))
    over = figure((MAX_CHUNKS_DRAWN + 1,), (1,))
    assert segments(at_bound, "chunk") == MAX_CHUNKS_DRAWN - 1
    assert segments(over, "chunk") == 0


def test_leading_dims_are_summarised_above_the_last_three() -> None:
    root = figure((12, 3, 5, 40, 40), (1, 3, 5, 10, 10), dimension_names=("time", None, "z", "y", "x"))
    leading = next(e for e in root.iter("div") if e.get("class") == "zarrnb-leading").text
    assert leading == "leading dims: time: 12 (12 chunks) × 3 (1 chunk)"
    assert len(polygons(root)) == 3
    assert sorted(t.text for t in root.iter(f"{SVG}text")) == ["x: 40", "y: 40", "z: 5"]


@pytest.mark.parametrize(
    ("shape", "expected"), [((), "scalar (0-d): one chunk"), ((0, 4), "empty: no chunks")]
)
def test_no_picture_for_scalars_and_empty_arrays(shape, expected) -> None:
    root = figure(shape, (1,) * len(shape))
    assert list(root.iter(f"{SVG}svg")) == []
    assert caption(root) == expected


def test_long_thin_arrays_keep_a_visible_short_side() -> None:
    root = figure((1, 10**7), (1, 1000))
    (polygon,) = polygons(root)
    ys = {float(p.split(",")[1]) for p in polygon.get("points").split()}
    assert max(ys) - min(ys) >= 8


def test_svg_is_deterministic_and_drawn_in_mid_tones() -> None:
    first = render_chunk_grid((30, 40, 50), (7, 9, 11), shards=(14, 18, 22))
    assert first == render_chunk_grid((30, 40, 50), (7, 9, 11), shards=(14, 18, 22))
    document = ET.tostring(figure((30, 40, 50), (7, 9, 11), shards=(14, 18, 22)), encoding="unicode")
    colours = re.findall(r"rgb\((\d+), (\d+), (\d+)\)", document)
    assert colours
    for colour in colours:
        # luminance in the middle third: readable on white and on near-black backgrounds
        luminance = 0.2126 * int(colour[0]) + 0.7152 * int(colour[1]) + 0.0722 * int(colour[2])
        assert 85 <= luminance <= 170, colour
    assert "#" not in document


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 10**7), st.integers(1, 10**4), st.integers(1, 4)), min_size=1, max_size=5
    ),
    st.booleans(),
)
def test_any_grid_is_well_formed_and_bounded(axes: list[tuple[int, int, int]], sharded: bool) -> None:
    shape = tuple(n for n, _, _ in axes)
    chunks = tuple(min(c, n) for n, c, _ in axes)
    shards = tuple(min(c * k, n) for (n, _, k), c in zip(axes, chunks, strict=True)) if sharded else None
    text = render_chunk_grid(shape, chunks, shards)
    root = figure(shape, chunks, shards)
    drawn = min(len(shape), 3)
    faces = 3 if drawn == 3 else 1
    assert len(polygons(root)) == faces
    per_axis = 2 * (MAX_CHUNKS_DRAWN - 1)  # each axis is drawn on at most two faces
    assert segments(root, "chunk") <= drawn * per_axis
    assert segments(root, "shard") <= drawn * per_axis
    assert len(text) < 40_000
    (title,) = root.iter(f"{SVG}title")
    assert title.text == f"chunk grid of shape {shape[-drawn:]}"
