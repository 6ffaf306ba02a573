"""The notebook layer: a hierarchy browser, an array previewer and copying with a progress bar.

Reached lazily as ``zarrnb.browse``, ``zarrnb.preview`` and ``zarrnb.copy``, so importing
zarrnb does not import ipywidgets.
"""

from zarrnb.notebook.browser import HierarchyBrowser, browse
from zarrnb.notebook.copy import copy
from zarrnb.notebook.preview import ArrayPreview, preview

__all__ = ["ArrayPreview", "HierarchyBrowser", "browse", "copy", "preview"]
