//! The cost report's SVG charts (plotters): drawing is the binary's job, the numbers are
//! `promptyard_batch::report`'s.
//!
//! Layout: the report's two headlines and the legend on top (the legend takes no room from
//! the bars); below, cost by label (baseline vs routed, dollar ticks, the amount on each bar)
//! beside modelled quality by label (same colours, the value on each bar, a red `▼` where
//! routing lost quality).

use std::path::Path;

use anyhow::{bail, Context};
use promptyard_batch::report::Report;
use promptyard_catalog::economics::{FrontierPoint, Measured};

/// Draws cost and quality by label, routed vs baseline, as an SVG file.
pub fn write_chart(report: &Report, path: &Path) -> anyhow::Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => {}
        _ => bail!("{}: only .svg charts are supported", path.display()),
    }
    svg::draw(report, path)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("chart {}", path.display()))
}

/// Measured quality against measured cost: both policies swept over `quality_target` (lines),
/// the fixed strategies as labelled crosses; used by `economics` and `report --outcomes`.
pub fn write_frontier(
    title: &str,
    rows: &[Measured],
    frontier: &[FrontierPoint],
    path: &Path,
) -> anyhow::Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => {}
        _ => bail!("{}: only .svg charts are supported", path.display()),
    }
    draw_frontier(title, rows, frontier, path)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("chart {}", path.display()))
}

fn draw_frontier(
    title: &str,
    rows: &[Measured],
    frontier: &[FrontierPoint],
    path: &Path,
) -> Result<(), String> {
    use plotters::prelude::*;
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let k = 1000.0;
    let xs = frontier.iter().map(|p| p.cost_usd).chain(rows.iter().map(|m| m.cost_usd));
    let ys = frontier.iter().map(|p| p.quality).chain(rows.iter().map(|m| m.quality));
    let xmax = xs.fold(0.0, f64::max) * k * 1.1 + 1e-9;
    let (ymin, ymax) = ys.fold((1.0f64, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..xmax, (ymin - 0.05).max(0.0)..(ymax + 0.03).min(1.0))
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .x_desc("measured cost, USD per 1,000 prompts")
        .y_desc("measured quality (mean score)")
        .draw()
        .map_err(|x| e(&x))?;
    for (policy, color) in [("per-label", RGBColor(0x9e, 0x9e, 0x9e)), ("per-prompt", RGBColor(0x1f, 0x77, 0xb4))] {
        let mut pts: Vec<(f64, f64)> = frontier
            .iter()
            .filter(|p| p.policy == policy)
            .map(|p| (p.cost_usd * k, p.quality))
            .collect();
        if pts.is_empty() {
            continue;
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(|x| e(&x))?
            .label(format!("{policy} policy, quality_target swept"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
            .map_err(|x| e(&x))?;
    }
    for m in rows {
        let short: String = m.strategy.split(" (").next().unwrap_or("").to_string();
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((m.cost_usd * k, m.quality))
                    + Cross::new((0, 0), 5, RED.stroke_width(2))
                    + Text::new(short, (6, -12), ("sans-serif", 12)),
            ))
            .map_err(|x| e(&x))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))?;
    Ok(())
}

mod svg {
    use std::path::Path;

    use plotters::coord::Shift;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    use promptyard_batch::report::{quality_marker, usd, Line, QUALITY_EPS};

    use super::Report;

    const BASELINE: RGBColor = RGBColor(0x9e, 0x9e, 0x9e);
    const ROUTED: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
    const DROP: RGBColor = RGBColor(0xc6, 0x28, 0x28);
    const SIZE: (u32, u32) = (1100, 580);
    const HEADER: u32 = 84;
    const COST_WIDTH: u32 = 600;
    /// Gap between a bar and the edge of its half of the label's slot, pixels.
    const BAR_GAP: u32 = 10;

    type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
    /// Lines of text above a bar, bottom last, each in its colour.
    type BarText = Vec<(String, RGBColor)>;

    fn err(e: impl std::fmt::Display) -> String {
        e.to_string()
    }

    pub(super) fn draw(report: &Report, path: &Path) -> Result<(), String> {
        let root = SVGBackend::new(path, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (top, body) = root.split_vertically(HEADER);
        header(report, &top)?;
        let (cost, quality) = body.split_horizontally(COST_WIDTH);
        cost_panel(report, &cost)?;
        quality_panel(report, &quality)?;
        root.present().map_err(err)
    }

    /// The two headlines and, on the right of the second, the legend.
    fn header(report: &Report, area: &Area<'_>) -> Result<(), String> {
        let title = ("sans-serif", 20).into_font().color(&BLACK);
        area.draw_text(&report.cost_headline(), &title, (16, 12))
            .map_err(err)?;
        let colour = if report.quality_drops.is_empty() {
            BLACK
        } else {
            DROP
        };
        let sub = ("sans-serif", 15).into_font().color(&colour);
        area.draw_text(&report.quality_headline(), &sub, (16, 40))
            .map_err(err)?;
        let legend = ("sans-serif", 14).into_font().color(&BLACK);
        let y = 64;
        let mut x = 16;
        for (colour, text) in [
            (BASELINE, format!("always-{}", report.baseline)),
            (ROUTED, "routed".to_string()),
        ] {
            area.draw(&Rectangle::new(
                [(x, y - 5), (x + 14, y + 7)],
                colour.filled(),
            ))
            .map_err(err)?;
            area.draw_text(&text, &legend, (x + 20, y - 6))
                .map_err(err)?;
            x += 20 + 7 * text.chars().count() as i32 + 24;
        }
        Ok(())
    }

    /// Baseline (left) and routed (right) bars per label, each with its value above it.
    fn panel(
        report: &Report,
        area: &Area<'_>,
        caption: &str,
        top: f64,
        value: impl Fn(&Line, bool) -> Option<f64>,
        format_tick: &dyn Fn(&f64) -> String,
        format_value: &dyn Fn(&Line, bool, f64) -> BarText,
    ) -> Result<(), String> {
        let n = report.by_label.len() as u32;
        let names: Vec<String> = report.by_label.iter().map(|l| l.name.clone()).collect();
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            // A discrete range includes its end: labels 0 to n - 1 are n slots.
            .build_cartesian_2d((0u32..n - 1).into_segmented(), 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(6)
            .y_label_formatter(format_tick)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(err)?;
        let (xs, _) = chart.plotting_area().get_pixel_range();
        let slot = (xs.end - xs.start) / n.max(1) as i32;
        for routed in [false, true] {
            let colour = if routed { ROUTED } else { BASELINE };
            let bars = report.by_label.iter().enumerate().filter_map(|(i, l)| {
                let y = value(l, routed)?;
                let i = i as u32;
                let (x0, x1) = if routed {
                    (SegmentValue::CenterOf(i), SegmentValue::Exact(i + 1))
                } else {
                    (SegmentValue::Exact(i), SegmentValue::CenterOf(i))
                };
                let mut bar = Rectangle::new([(x0, 0.0), (x1, y)], colour.filled());
                bar.set_margin(0, 0, BAR_GAP, BAR_GAP);
                Some(bar)
            });
            chart.draw_series(bars).map_err(err)?;
            // Values above the bars: the centre of a half slot is a quarter slot off centre.
            let dx = if routed { slot / 4 } else { -slot / 4 };
            let texts = report.by_label.iter().enumerate().flat_map(|(i, l)| {
                let y = value(l, routed);
                let lines = match y {
                    Some(y) => format_value(l, routed, y),
                    None if routed => vec![("no records".to_string(), BLACK)],
                    None => Vec::new(),
                };
                let dx = if y.is_none() { 0 } else { dx };
                let at = (SegmentValue::CenterOf(i as u32), y.unwrap_or(0.0));
                let count = lines.len() as i32;
                lines
                    .into_iter()
                    .enumerate()
                    .map(move |(k, (text, colour))| {
                        let style = ("sans-serif", 12)
                            .into_font()
                            .color(&colour)
                            .pos(Pos::new(HPos::Center, VPos::Bottom));
                        let dy = -4 - 15 * (count - 1 - k as i32);
                        EmptyElement::at(at.clone()) + Text::new(text, (dx, dy), style)
                    })
            });
            chart.draw_series(texts).map_err(err)?;
        }
        Ok(())
    }

    fn cost_panel(report: &Report, area: &Area<'_>) -> Result<(), String> {
        let top = report
            .by_label
            .iter()
            .map(|l| l.baseline_usd.max(l.routed_usd))
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.2;
        panel(
            report,
            area,
            "Estimated cost by label, USD at list prices",
            top,
            |l, routed| {
                (l.records > 0).then_some(if routed { l.routed_usd } else { l.baseline_usd })
            },
            &|v| usd(*v),
            &|_, _, y| vec![(usd(y), BLACK)],
        )
    }

    fn quality_panel(report: &Report, area: &Area<'_>) -> Result<(), String> {
        panel(
            report,
            area,
            "Quality by label (modelled from the catalog)",
            1.2,
            |l, routed| {
                (l.records > 0).then_some(if routed {
                    l.routed_quality
                } else {
                    l.baseline_quality
                })
            },
            &|v| format!("{v:.1}"),
            &|l, routed, y| {
                let mut lines = Vec::new();
                if routed && -l.quality_change() >= QUALITY_EPS {
                    lines.push((quality_marker(l.quality_change()), DROP));
                }
                lines.push((format!("{y:.3}"), BLACK));
                lines
            },
        )
    }
}
