//! HTML and inline SVG for the report, built as strings.
//!
//! Every text that comes from the vault is hostile input (a post, a device name, a DAO's
//! name): it goes through [`esc`] and nowhere else, both in HTML and in SVG. Numbers are
//! written with fixed precision. Nothing refers to anything outside the document.

use std::fmt::Write as _;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A bar chart: one bar per value (`None`: a gap), with a y-axis maximum label, the first and
/// last x labels, and a `<title>` per bar (label: value) for hovering.
pub fn bar_chart(
    labels: &[String],
    values: &[Option<f64>],
    unit: &str,
    fmt: &dyn Fn(f64) -> String,
    color: &str,
) -> String {
    let (w, h, left, bottom, top) = (900.0, 180.0, 96.0, 22.0, 10.0);
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let max = values.iter().flatten().copied().fold(0.0f64, f64::max);
    let n = values.len().max(1) as f64;
    let bw = plot_w / n;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#999"/>"##,
        y = top + plot_h,
        x2 = w - 10.0
    );
    let _ = write!(
        s,
        r##"<text x="{x}" y="{y}" text-anchor="end" class="axis">{}</text>"##,
        esc(format!("{} {unit}", fmt(max)).trim_end()),
        x = left - 6.0,
        y = top + 10.0
    );
    let _ = write!(
        s,
        r##"<text x="{x}" y="{y}" text-anchor="end" class="axis">0</text>"##,
        x = left - 6.0,
        y = top + plot_h
    );
    for (i, (l, v)) in labels.iter().zip(values).enumerate() {
        let Some(v) = v else { continue };
        let bh = if max > 0.0 { v / max * plot_h } else { 0.0 };
        let _ = write!(
            s,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{bw:.2}" height="{bh:.2}" fill="{color}"><title>{}</title></rect>"#,
            esc(format!("{l}: {} {unit}", fmt(*v)).trim_end()),
            x = left + i as f64 * bw,
            y = top + plot_h - bh,
            bw = (bw * 0.85).max(0.5),
        );
    }
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let _ = write!(
            s,
            r#"<text x="{left}" y="{y}" class="axis">{}</text><text x="{x}" y="{y}" text-anchor="end" class="axis">{}</text>"#,
            esc(first),
            esc(last),
            y = h - 6.0,
            x = w - 10.0
        );
    }
    s.push_str("</svg>");
    s
}

/// A strip chart: one row per series, one cell per bucket, shaded by the share of the row's
/// maximum (log scale, so a day with 10 records is visible beside one with 100,000).
pub fn strip_chart(buckets: &[String], rows: &[(String, Vec<u64>)]) -> String {
    let (w, left, row_h, top) = (900.0, 220.0, 22.0, 4.0);
    let h = top + rows.len() as f64 * row_h + 22.0;
    let n = buckets.len().max(1) as f64;
    let cw = (w - left - 10.0) / n;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#
    );
    for (r, (name, counts)) in rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        let _ = write!(
            s,
            r#"<text x="{x}" y="{ty}" text-anchor="end" class="axis">{}</text>"#,
            esc(name),
            x = left - 8.0,
            ty = y + 14.0
        );
        let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        for (i, c) in counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let shade = 0.25 + 0.75 * ((*c as f64).ln_1p() / max.ln_1p());
            let _ = write!(
                s,
                r##"<rect x="{x:.2}" y="{y}" width="{cw:.2}" height="{hh}" fill="#2a7ab0" fill-opacity="{shade:.3}"><title>{}</title></rect>"##,
                esc(&format!("{name} {}: {c} records", buckets[i])),
                x = left + i as f64 * cw,
                hh = row_h - 4.0,
                cw = cw.max(0.5)
            );
        }
    }
    if let (Some(first), Some(last)) = (buckets.first(), buckets.last()) {
        let _ = write!(
            s,
            r#"<text x="{left}" y="{y}" class="axis">{}</text><text x="{x}" y="{y}" text-anchor="end" class="axis">{}</text>"#,
            esc(first),
            esc(last),
            y = h - 6.0,
            x = w - 10.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralizes_markup() {
        assert_eq!(
            esc(r#"<img src="x" onerror='a()'>&"#),
            "&lt;img src=&quot;x&quot; onerror=&#39;a()&#39;&gt;&amp;"
        );
        assert_eq!(esc("a\u{1b}[2J"), "a\u{fffd}[2J");
    }

    #[test]
    fn charts_escape_their_labels() {
        let svg = bar_chart(
            &["<b>".into()],
            &[Some(1.0)],
            "count",
            &|v| format!("{v}"),
            "#333",
        );
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        let svg = strip_chart(&["d".into()], &[("<script>".into(), vec![3])]);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
    }
}
