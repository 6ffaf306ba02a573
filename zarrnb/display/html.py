"""Escaping and template filling shared by every renderer.

Templates and the stylesheet are package data files read once; a value reaches
the HTML escaped unless it is already a rendered :class:`Html` fragment.
"""

from __future__ import annotations

import functools
import html
import string
from collections.abc import Iterable
from importlib import resources

__all__ = ["Html", "escape", "fill", "join", "stylesheet", "wrap"]


class Html(str):
    """A fragment of markup that is already safe to insert as is."""


def escape(value: object) -> Html:
    """Escape ``str(value)`` for element text and quoted attribute values alike."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def join(fragments: Iterable[object]) -> Html:
    """Concatenate fragments, escaping those that are not :class:`Html`."""
    return Html("".join(escape(f) for f in fragments))


@functools.cache
def _template(name: str) -> string.Template:
    text = resources.files("zarrnb.display").joinpath("templates", name).read_text(encoding="utf-8")
    return string.Template(text)


@functools.cache
def stylesheet() -> str:
    """The stylesheet every repr carries, scoped under ``.zarrnb-``."""
    return resources.files("zarrnb.display").joinpath("static", "style.css").read_text(encoding="utf-8")


def fill(template: str, /, **values: object) -> Html:
    """Fill ``template``; plain values are escaped, :class:`Html` ones go in as they are."""
    fields = {key: escape(value) for key, value in values.items()}
    return Html(_template(template).substitute(fields).strip())


def wrap(body: Html, plain_text: str) -> Html:
    """Complete repr: the stylesheet, the plain-text fallback and ``body``.

    The fallback is hidden by an inline style, which sanitizers that drop ``<style>``
    keep; where styles are stripped altogether (GitHub) it shows above the HTML.
    """
    return fill("wrap.html", css=Html(stylesheet()), fallback=plain_text, body=body)
