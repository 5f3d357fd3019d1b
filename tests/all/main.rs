//! The integration tests, in one binary (one link instead of twenty: faster and smaller).

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
mod classifier_train;
mod data_invariants;
mod data_rebuild;
mod gateway_dev_format;
mod hardening_runtime;
mod hub_resolve;
mod policy_cases;
mod policy_props;
mod report_totals;
mod router_api;
mod router_cli;
mod router_reload;
mod train_extra;
