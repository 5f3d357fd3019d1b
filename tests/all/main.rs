//! The integration tests, in one binary (one link instead of twenty: faster and smaller).

#[path = "../common/adequacy.rs"]
mod common_adequacy;

mod adequacy_shared_features;
mod batch_api;
mod batch_device;
mod batch_faults;
mod batch_hardening;
mod batch_parquet;
mod batch_records;
mod batch_resume;
mod catalog_prices;
mod catalog_props;
mod catalog_validation;
mod classifier_cli;
mod classifier_files;
mod classifier_props;
mod classifier_quantized;
mod classifier_train;
mod cli_help;
mod data_check;
mod data_invariants;
mod data_rebuild;
mod decimal_output;
mod empty_prompt;
mod encoder_tier;
#[cfg(not(feature = "encoder"))]
mod encoder_tier_off;
mod feature_ids;
mod gateway_dev_format;
mod hardening_runtime;
mod hub_resolve;
mod outcomes_calibrate;
mod policy_cases;
mod policy_props;
mod readme;
mod report_totals;
mod route_into;
mod router_api;
mod router_cli;
mod router_reload;
mod train_bundled;
mod train_extra;
