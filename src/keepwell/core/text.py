"""Small text helpers shared by several apps."""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_placeholders(template: str, values: Mapping[str, str]) -> str:
    """Replace {name} placeholders with values; unknown ones stay as written (never evaluated)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
