"""Type stubs for promptyard (the native module is promptyard._promptyard)."""

from os import PathLike
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union, final

import pyarrow

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

__version__: str
#: The three labels, in the fixed order of every probability vector.
LABELS: List[str]

_Path = Union[str, "PathLike[str]"]

class PromptyardError(Exception):
    """Base class of every promptyard error; raised as is for I/O and invalid arguments."""

class CatalogError(PromptyardError):
    """A catalog file or TOML string is invalid (the message names path, line and field)."""

class ModelError(PromptyardError):
    """A model directory is missing, truncated or does not match this build."""

class NoAdequateModel(PromptyardError):
    """No catalog model is adequate for the prompt and the catalog sets no default_model."""

@final
class Decision:
    """One routing decision: the label, the chosen model and why. Read-only."""

    @property
    def label(self) -> str:
        """The predicted label: "planning", "reasoning" or "code_completion"."""
    @property
    def confidence(self) -> float:
        """Probability of the predicted label."""
    @property
    def probs(self) -> Dict[str, float]:
        """Probabilities of all three labels, keyed by label name."""
    @property
    def model(self) -> str:
        """Catalog id of the chosen model."""
    @property
    def provider(self) -> str:
        """The chosen model's provider."""
    @property
    def api_id(self) -> Optional[str]:
        """The id the vendor's API (or Amazon Bedrock) expects, if the catalog gives one."""
    @property
    def est_cost_usd(self) -> float:
        """Estimated cost of the prompt on the chosen model, USD at list prices."""
    @property
    def input_tokens(self) -> int:
        """Estimated input tokens (UTF-8 bytes / 4, rounded up)."""
    @property
    def output_tokens(self) -> int:
        """Output tokens the catalog assumes for the label."""
    @property
    def fallbacks(self) -> List[str]:
        """Next-cheapest adequate models to retry with, in order."""
    @property
    def used_default(self) -> bool:
        """True when nothing was adequate and the catalog's default_model was used."""
    @property
    def reason(self) -> str:
        """One line for humans saying why this model was chosen."""
    @property
    def catalog_fingerprint(self) -> str:
        """Fingerprint of the catalog that decided (16 hex digits)."""
    @property
    def classifier_fingerprint(self) -> Optional[str]:
        """Fingerprint of the classifier weights that gave the probabilities."""
    @property
    def tier(self) -> str:
        """Which tier gave the probabilities: "fast", "encoder" or "combined" (the cascade)."""
    def to_dict(self) -> Dict[str, object]:
        """The keys and values of ``promptyard route``'s JSON output."""
    def to_json(self) -> str:
        """One line of JSON, byte for byte what ``promptyard route`` prints."""

@final
class Router:
    """Routes prompts to the cheapest adequate model. Thread-safe: share one per process.

    ``Router()`` uses the catalog and classifier bundled in the package; ``catalog`` (a TOML
    file) and ``model`` (a model directory) replace either. Raises CatalogError, ModelError
    or PromptyardError (e.g. an unreadable file).
    """

    def __new__(cls, catalog: Optional[_Path] = None, model: Optional[_Path] = None) -> "Router": ...
    @staticmethod
    def from_catalog_str(toml: str, model: Optional[_Path] = None) -> "Router":
        """A router over catalog TOML held in memory."""
    def route(self, text: str) -> Decision:
        """Classifies ``text`` and picks the cheapest adequate model (GIL released)."""
    def route_batch(self, texts: Sequence[str]) -> List[Decision]:
        """Routes many prompts in parallel on all cores with the GIL released; one Decision
        per prompt, in order. Raises the error of the first prompt that fails."""
    def route_arrow(
        self, prompts: Union[pyarrow.Array, pyarrow.ChunkedArray]
    ) -> Union[pyarrow.RecordBatch, pyarrow.Table]:
        """Routes a pyarrow string / large_string / string_view Array (-> RecordBatch) or
        ChunkedArray (-> Table) through the Arrow C data interface, in parallel with the GIL
        released. Columns: label, confidence, p_planning, p_reasoning, p_code_completion, p_other,
        model, est_cost_usd, input_tokens, output_tokens, error. A null prompt, or one that
        cannot be routed, gives a row with ``error`` set and the other columns null.
        Raises TypeError for any other array type."""
    def reload_catalog(self, path: _Path) -> None:
        """Validates and swaps in a new catalog; on error the old one stays."""
    def reload_model(self, path: _Path) -> None:
        """Loads and swaps in a new classifier; on error the old one stays."""
    @property
    def catalog_path(self) -> Path:
        """Path of the catalog in use."""
    @property
    def models(self) -> List[str]:
        """Catalog ids of the catalog's models, in catalog order."""
