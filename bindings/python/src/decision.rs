//! `promptyard.Decision`: a read-only view of one [`promptyard::Decision`].
//!
//! Probabilities are `f32` in Rust. Python sees each as the shortest decimal that reads back
//! as the same `f32` (what the CLI's JSON prints), so `d.confidence`, `d.to_dict()` and
//! `json.loads(d.to_json())` all hold the same numbers.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use promptyard::Label;

/// One routing decision: the label, the chosen model and why. Read-only.
#[pyclass(frozen, module = "promptyard", name = "Decision")]
pub struct Decision {
    inner: promptyard::Decision,
}

impl From<promptyard::Decision> for Decision {
    fn from(inner: promptyard::Decision) -> Self {
        Decision { inner }
    }
}

/// The `f64` Python shows for an `f32`: its shortest round-trip decimal, as serde_json
/// writes it.
pub fn py_f32(v: f32) -> f64 {
    if !v.is_finite() {
        return v as f64;
    }
    v.to_string().parse().unwrap_or(v as f64)
}

#[pymethods]
impl Decision {
    /// The predicted label: "planning", "reasoning" or "code_completion".
    #[getter]
    fn label(&self) -> &'static str {
        self.inner.label.as_str()
    }

    /// Probability of the predicted label.
    #[getter]
    fn confidence(&self) -> f64 {
        py_f32(self.inner.confidence)
    }

    /// Probabilities of all three labels, keyed by label name.
    #[getter]
    fn probs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for l in Label::ALL {
            d.set_item(l.as_str(), py_f32(self.inner.probs[l.index()]))?;
        }
        Ok(d)
    }

    /// Catalog id of the chosen model.
    #[getter]
    fn model(&self) -> &str {
        &self.inner.model
    }

    /// The chosen model's provider.
    #[getter]
    fn provider(&self) -> &str {
        &self.inner.provider
    }

    /// The id the vendor's API (or Amazon Bedrock) expects, if the catalog gives one.
    #[getter]
    fn api_id(&self) -> Option<&str> {
        self.inner.api_id.as_deref()
    }

    /// Estimated cost of the prompt on the chosen model, USD at list prices.
    #[getter]
    fn est_cost_usd(&self) -> f64 {
        promptyard::policy::round_usd(self.inner.est_cost_usd)
    }

    /// Estimated input tokens (UTF-8 bytes / 4, rounded up).
    #[getter]
    fn input_tokens(&self) -> u64 {
        self.inner.input_tokens
    }

    /// Output tokens the catalog assumes for the label.
    #[getter]
    fn output_tokens(&self) -> u64 {
        self.inner.output_tokens
    }

    /// Next-cheapest adequate models to retry with, in order.
    #[getter]
    fn fallbacks(&self) -> Vec<String> {
        self.inner.fallbacks.iter().map(|id| id.to_string()).collect()
    }

    /// True when nothing was adequate and the catalog's default_model was used.
    #[getter]
    fn used_default(&self) -> bool {
        self.inner.used_default
    }

    /// One line for humans saying why this model was chosen.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.to_string()
    }

    /// Fingerprint of the catalog that decided (16 hex digits, as in the JSON output).
    #[getter]
    fn catalog_fingerprint(&self) -> String {
        format!("{:016x}", self.inner.catalog_fingerprint)
    }

    /// Fingerprint of the classifier weights that gave the probabilities.
    #[getter]
    fn classifier_fingerprint(&self) -> Option<&str> {
        self.inner.classifier_fingerprint.as_deref()
    }

    /// Which tier gave the probabilities: `fast`, `encoder` or `combined` (the cascade).
    #[getter]
    fn tier(&self) -> &'static str {
        self.inner.tier.as_str()
    }

    /// The decision as a dict with the keys and values of `promptyard route`'s JSON output.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("label", self.label())?;
        d.set_item("confidence", self.confidence())?;
        d.set_item("probs", self.probs(py)?)?;
        d.set_item("model", self.model())?;
        d.set_item("provider", self.provider())?;
        d.set_item("api_id", self.api_id())?;
        d.set_item("est_cost_usd", self.est_cost_usd())?;
        d.set_item("input_tokens", self.input_tokens())?;
        d.set_item("output_tokens", self.output_tokens())?;
        d.set_item("fallbacks", self.fallbacks())?;
        d.set_item("used_default", self.used_default())?;
        d.set_item("reason", self.reason())?;
        d.set_item("catalog_fingerprint", self.catalog_fingerprint())?;
        d.set_item("classifier_fingerprint", self.classifier_fingerprint())?;
        d.set_item("tier", self.tier())?;
        Ok(d)
    }

    /// The decision as one line of JSON, byte for byte what `promptyard route` prints.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| crate::error::PromptyardError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Decision(label='{}', confidence={}, model='{}', est_cost_usd={:e}, used_default={})",
            self.label(),
            self.confidence(),
            self.inner.model,
            self.inner.est_cost_usd,
            if self.inner.used_default { "True" } else { "False" },
        )
    }
}
