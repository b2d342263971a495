//! Terminal charts: vertical bars drawn with the eight Unicode block heights.
//!
//! One column per bucket; when there are more buckets than columns, neighbouring buckets are
//! averaged into one column (gaps stay gaps unless a neighbour has data). Missing values are
//! blank columns, zero is a baseline dot, so "no data" and "nothing" look different.

const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The width of the terminal on stdout (TIOCGWINSZ), or `COLUMNS`, or 80.
pub fn terminal_width() -> usize {
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ writes a winsize into the struct we own; fd 1 may be anything,
        // and a failing ioctl leaves it zeroed.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 {
            return ws.ws_col as usize;
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 20)
        .unwrap_or(80)
}

/// Squeezes `values` into at most `width` columns by averaging runs.
pub fn squeeze(values: &[Option<f64>], width: usize) -> Vec<Option<f64>> {
    if values.len() <= width || width == 0 {
        return values.to_vec();
    }
    let per = values.len().div_ceil(width);
    values
        .chunks(per)
        .map(|c| {
            let present: Vec<f64> = c.iter().flatten().copied().collect();
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
        })
        .collect()
}

/// A bar chart `height` rows high (each row 8 steps), with the maximum on the first row's
/// right and the first and last labels underneath.
pub fn bars(
    values: &[Option<f64>],
    height: usize,
    width: usize,
    first_label: &str,
    last_label: &str,
    unit: &str,
) -> String {
    let label_w = 12;
    let cols = squeeze(values, width.saturating_sub(label_w + 1).max(10));
    let max = cols.iter().flatten().copied().fold(0.0f64, f64::max);
    let min = cols.iter().flatten().copied().fold(0.0f64, f64::min);
    if cols.iter().all(Option::is_none) || max <= 0.0 || min < 0.0 {
        return String::new();
    }
    let steps = (height * 8) as f64;
    let mut out = String::new();
    for row in (0..height).rev() {
        let axis = if row == height - 1 {
            format!(
                "{:>w$} ",
                crate::explore::fmt_num(max, unit),
                w = label_w - 1
            )
        } else if row == 0 {
            format!("{:>w$} ", "0", w = label_w - 1)
        } else {
            " ".repeat(label_w)
        };
        out.push_str(&axis);
        for v in &cols {
            let c = match v {
                None => ' ',
                Some(v) => {
                    let level = (v / max * steps).round() as i64 - (row as i64) * 8;
                    if *v == 0.0 && row == 0 {
                        '.'
                    } else if level <= 0 {
                        if row == 0 && *v > 0.0 { BLOCKS[1] } else { ' ' }
                    } else {
                        BLOCKS[level.min(8) as usize]
                    }
                }
            };
            out.push(c);
        }
        out.push('\n');
    }
    let span = cols.len();
    let mut axis = " ".repeat(label_w);
    if span >= first_label.len() + last_label.len() + 2 {
        axis.push_str(first_label);
        axis.push_str(&" ".repeat(span - first_label.len() - last_label.len()));
        axis.push_str(last_label);
    } else {
        axis.push_str(first_label);
    }
    out.push_str(axis.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeeze_averages_runs() {
        let v = vec![Some(1.0), Some(3.0), None, None, Some(5.0)];
        assert_eq!(squeeze(&v, 3), vec![Some(2.0), None, Some(5.0)]);
        assert_eq!(squeeze(&v, 10), v);
    }

    #[test]
    fn bars_scale_to_the_maximum() {
        let chart = bars(
            &[Some(8.0), Some(4.0), None, Some(0.0)],
            1,
            40,
            "a",
            "b",
            "count",
        );
        let first = chart.lines().next().unwrap();
        assert!(first.ends_with("█▄ ."), "{chart}");
        assert!(bars(&[None, None], 2, 40, "a", "b", "").is_empty());
    }
}
