"""promptyard: route LLM prompts to the cheapest adequate model.

A microsecond local classifier labels each prompt ``planning``, ``reasoning`` or
``code_completion``; a policy picks the cheapest adequate model from a TOML catalog. The
work is done by the Rust crate ``promptyard``; this package is a thin typed shell over it.

>>> import promptyard
>>> router = promptyard.Router()
>>> router.route("Write a Python function that merges overlapping intervals").label
'code_completion'

``Router.route_batch`` routes a list in parallel and ``Router.route_arrow`` a pyarrow string
array (returning a RecordBatch of decision columns); both release the GIL. No call touches
the network.
"""

from ._promptyard import (
    LABELS,
    CatalogError,
    Decision,
    ModelError,
    NoAdequateModel,
    PromptyardError,
    Router,
    __version__,
)

__all__ = [
    "LABELS",
    "CatalogError",
    "Decision",
    "ModelError",
    "NoAdequateModel",
    "PromptyardError",
    "Router",
    "__version__",
]
