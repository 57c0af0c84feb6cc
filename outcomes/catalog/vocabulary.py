"""The fixed vocabularies of the activity log (``catalog/measures.json``), read without the ORM so
that model fields can take them as choices."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def activity_vocabulary() -> dict[str, dict[str, str]]:
    """``kinds`` and ``organisations`` of the activity log, each code to its Swedish label, in
    catalog order."""
    data = json.loads(resources.files("outcomes").joinpath("catalog", "measures.json").read_text("utf-8"))
    return {
        "kinds": {entry["code"]: entry["label_sv"] for entry in data["activity_kinds"]},
        "organisations": {entry["code"]: entry["label_sv"] for entry in data["organisations"]},
    }
