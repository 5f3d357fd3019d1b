//! The cost report's SVG chart (plotters): drawing is the binary's job, the numbers are
//! `promptyard_batch::report`'s.

use std::path::Path;

use anyhow::{bail, Context};
use promptyard_batch::report::Report;

/// Draws cost by label, routed vs baseline, as an SVG bar chart.
pub fn write_chart(report: &Report, path: &Path) -> anyhow::Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => {}
        _ => bail!("{}: only .svg charts are supported", path.display()),
    }
    chart::draw(report, path)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("chart {}", path.display()))
}

mod chart {
    use std::path::Path;

    use plotters::prelude::*;

    use super::Report;

    const BASELINE: RGBColor = RGBColor(0x9e, 0x9e, 0x9e);
    const ROUTED: RGBColor = RGBColor(0x1f, 0x77, 0xb4);

    /// Two bars per label: the baseline (grey, left) and routed (blue, right).
    pub(super) fn draw(report: &Report, path: &Path) -> Result<(), String> {
        let root = SVGBackend::new(path, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = report
            .by_label
            .iter()
            .map(|l| l.baseline_usd.max(l.routed_usd))
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.15;
        let n = report.by_label.len() as u32;
        let names: Vec<String> = report.by_label.iter().map(|l| l.name.clone()).collect();
        let caption = format!(
            "Cost by label: routed {} vs all-to-{} {} ({:.1}% saved)",
            promptyard_batch::report::usd(report.total.routed_usd),
            report.baseline,
            promptyard_batch::report::usd(report.total.baseline_usd),
            report.total.savings_pct()
        );
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(80)
            .build_cartesian_2d((0u32..n).into_segmented(), 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc("estimated cost, USD")
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        let bars = |routed: bool| {
            report.by_label.iter().enumerate().map(move |(i, l)| {
                let i = i as u32;
                let (x0, x1, y, color) = if routed {
                    (
                        SegmentValue::CenterOf(i),
                        SegmentValue::Exact(i + 1),
                        l.routed_usd,
                        ROUTED,
                    )
                } else {
                    (
                        SegmentValue::Exact(i),
                        SegmentValue::CenterOf(i),
                        l.baseline_usd,
                        BASELINE,
                    )
                };
                let mut bar = Rectangle::new([(x0, 0.0), (x1, y)], color.filled());
                bar.set_margin(0, 0, 12, 12);
                bar
            })
        };
        chart
            .draw_series(bars(false))
            .map_err(|e| e.to_string())?
            .label(format!("all to {}", report.baseline))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], BASELINE.filled()));
        chart
            .draw_series(bars(true))
            .map_err(|e| e.to_string())?
            .label("routed")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], ROUTED.filled()));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    }
}
