"""The one exception readers raise (defined in the product's tree, `monitor.errors`)."""

from __future__ import annotations

from monitor.errors import ReadError

__all__ = ["ReadError"]
