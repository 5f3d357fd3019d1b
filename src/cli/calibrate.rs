//! `promptyard calibrate`: measured outcomes in, a catalog with measured quality out.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use promptyard::catalog::Catalog;
use promptyard::Classifier;
use promptyard_catalog::calibrate::{
    calibrate, label_prompts, train_adequacy, AdequacyOptions, CalibrateOptions, LabelSource,
};
use promptyard_catalog::outcomes::{ModelMap, Outcomes};
use promptyard_catalog::Date;

/// Where prompt labels come from.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Labels {
    /// The log's `label` field where present, else the classifier.
    Auto,
    /// The log's `label` field only.
    Given,
    /// The classifier only.
    Classifier,
}

impl From<Labels> for LabelSource {
    fn from(l: Labels) -> Self {
        match l {
            Labels::Auto => LabelSource::Auto,
            Labels::Given => LabelSource::Given,
            Labels::Classifier => LabelSource::Classifier,
        }
    }
}

/// The outcome-reading flags shared by `calibrate` and `economics`.
#[derive(Debug, clap::Args)]
pub struct OutcomeArgs {
    /// Folder with prompts.jsonl[.gz] and outcomes.csv[.gz].
    #[arg(long)]
    pub outcomes: PathBuf,
    /// Only these sources (repeatable; default: all).
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Base catalog: prices, providers and context windows of the models it knows.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    /// TOML of `"NAME" = "catalog-id"` or `"SOURCE/NAME" = "catalog-id"` lines.
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// Where labels come from.
    #[arg(long, value_enum, default_value = "auto")]
    pub labels: Labels,
    /// Classifier directory used for labelling (default: the bundled one).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Outcomes, base catalog, map and classifier, read and validated.
pub struct Inputs {
    pub outcomes: Outcomes,
    pub base: Option<Catalog>,
    pub map: ModelMap,
    pub classifier: Classifier,
}

impl OutcomeArgs {
    pub fn read(&self) -> anyhow::Result<Inputs> {
        let mut outcomes = Outcomes::read_dir(&self.outcomes)
            .with_context(|| format!("reading outcomes in {}", self.outcomes.display()))?;
        for line in outcomes.summary.lines() {
            eprintln!("promptyard: {line}");
        }
        let known = outcomes.sources();
        if let Some(s) = self.sources.iter().find(|s| !known.contains(s)) {
            anyhow::bail!("--source {s}: not in the outcomes (sources: {})", known.join(", "));
        }
        outcomes.retain_sources(&self.sources);
        Ok(Inputs {
            outcomes,
            base: self.catalog.as_ref().map(Catalog::load).transpose()?,
            map: self.map.as_ref().map(ModelMap::load).transpose()?.unwrap_or_default(),
            classifier: match &self.model {
                Some(d) => Classifier::load(d)?,
                None => Classifier::bundled()?,
            },
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: OutcomeArgs,
    /// `[policy] quality_target` written: the fraction of the best model's quality a choice
    /// must reach (per label, or per prompt with the adequacy model).
    #[arg(long, default_value_t = 0.95)]
    quality_target: f64,
    /// Do not train and reference the per-prompt adequacy model.
    #[arg(long)]
    no_per_prompt: bool,
    #[command(flatten)]
    adequacy_budget: AdequacyBudgetArg,
    #[command(flatten)]
    adequacy_weight: AdequacyWeightArg,
    /// Date written into the provenance, YYYY-MM-DD (default: today, UTC).
    #[arg(long)]
    date: Option<String>,
    /// The catalog to write; the adequacy model goes next to it as `<stem>.adequacy.safetensors`.
    #[arg(long)]
    out: PathBuf,
}

/// `--adequacy-weight` of `calibrate` and `economics`.
#[derive(Debug, clap::Args)]
pub struct AdequacyWeightArg {
    /// Per-prompt model: its share of a model's success for a prompt, the rest being the
    /// model's per-label quality (`[policy] adequacy_weight`; 1 = the per-prompt model alone).
    #[arg(long, default_value_t = CalibrateOptions::default().adequacy_weight.unwrap_or(1.0), value_parser = parse_weight)]
    adequacy_weight: f64,
}

impl AdequacyWeightArg {
    /// The value for [`CalibrateOptions::adequacy_weight`].
    pub fn weight(&self) -> Option<f64> {
        Some(self.adequacy_weight)
    }
}

fn parse_weight(s: &str) -> Result<f64, String> {
    let w: f64 = s.trim().parse().map_err(|_| format!("expected a number in [0, 1], got {s:?}"))?;
    if (0.0..=1.0).contains(&w) {
        Ok(w)
    } else {
        Err(format!("must be in [0, 1], got {s:?}"))
    }
}

/// `--adequacy-budget` of `calibrate` and `economics`.
#[derive(Debug, clap::Args)]
pub struct AdequacyBudgetArg {
    /// Per-prompt model: bytes of a long prompt's start and end it reads, `HEAD,TAIL` (never
    /// less than the classifier reads; the part beyond it is featurized again when routing),
    /// or `classifier` (the default) for just the classifier's.
    #[arg(long, default_value_t = Budget(AdequacyOptions::default().budget), value_parser = parse_budget)]
    adequacy_budget: Budget,
}

impl AdequacyBudgetArg {
    /// The value for [`AdequacyOptions::budget`].
    pub fn budget(&self) -> Option<(u32, u32)> {
        self.adequacy_budget.0
    }
}

/// `--adequacy-budget`: `None` is the classifier's.
#[derive(Clone, Copy, Debug)]
struct Budget(Option<(u32, u32)>);

impl std::fmt::Display for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("classifier"),
            Some((head, tail)) => write!(f, "{head},{tail}"),
        }
    }
}

fn parse_budget(s: &str) -> Result<Budget, String> {
    if s == "classifier" {
        return Ok(Budget(None));
    }
    let bad = || format!("expected HEAD,TAIL in bytes (e.g. 2048,512) or `classifier`, got {s:?}");
    let (h, t) = s.split_once(',').ok_or_else(bad)?;
    let head: u32 = h.trim().parse().map_err(|_| bad())?;
    let tail: u32 = t.trim().parse().map_err(|_| bad())?;
    if head == 0 {
        return Err(format!("the head budget must be at least 1 byte, got {s:?}"));
    }
    Ok(Budget(Some((head, tail))))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.quality_target > 0.0 && args.quality_target <= 1.0,
        "--quality-target must be in (0, 1], got {}",
        args.quality_target
    );
    let inputs = args.input.read()?;
    let labels = label_prompts(&inputs.outcomes, &inputs.classifier, args.input.labels.into());
    for (reason, n) in &labels.skipped {
        eprintln!("promptyard: skipped {n} prompt(s): {reason}");
    }
    let opts = CalibrateOptions {
        quality_target: Some(args.quality_target),
        date: args.date.clone().unwrap_or_else(|| Date::today_utc().to_string()),
        origin: args.input.outcomes.display().to_string(),
        adequacy_weight: args.adequacy_weight.weight(),
        ..CalibrateOptions::default()
    };
    let all = vec![true; inputs.outcomes.prompts.len()];
    let cal = calibrate(&inputs.outcomes, &labels, &all, inputs.base.as_ref(), &inputs.map, &opts)?;
    for (id, why) in &cal.refused {
        eprintln!("promptyard: refused {id}: {why}");
    }
    let adequacy_name = (!args.no_per_prompt).then(|| {
        let stem = args.out.file_stem().map_or("catalog".into(), |s| s.to_string_lossy());
        format!("{stem}.adequacy.safetensors")
    });
    if let Some(name) = &adequacy_name {
        let ids: Vec<String> = cal.models.iter().map(|m| m.id.clone()).collect();
        let resolved: Vec<String> = inputs
            .outcomes
            .rows
            .iter()
            .map(|r| {
                let source = &inputs.outcomes.prompts[r.prompt].source;
                inputs.map.resolve(source, &r.model, inputs.base.as_ref())
            })
            .collect();
        let model_of_row: Vec<Option<&str>> = resolved.iter().map(|s| Some(s.as_str())).collect();
        let adequacy = train_adequacy(
            &inputs.outcomes,
            &all,
            &model_of_row,
            &ids,
            inputs.classifier.featurizer().config(),
            &AdequacyOptions {
                budget: args.adequacy_budget.budget(),
                ..AdequacyOptions::default()
            },
        )?;
        let path = args.out.with_file_name(name);
        adequacy.save(&path)?;
        eprintln!("promptyard: wrote {}", path.display());
    }
    let text = cal.to_toml(&opts, adequacy_name.as_deref());
    std::fs::write(&args.out, &text).with_context(|| format!("writing {}", args.out.display()))?;
    // The written catalog must load as `route`, `label` and `Router` will load it.
    Catalog::load(&args.out).context("the calibrated catalog does not load")?;
    eprintln!(
        "promptyard: wrote {} ({} models from {} outcome rows)",
        args.out.display(),
        cal.models.len(),
        cal.rows_used
    );
    Ok(ExitCode::SUCCESS)
}
