//! Numbers written the UK way: 1,234.5; £1,200; 96.5 %.

use super::Unit;

/// Groups thousands with commas and keeps at most `decimals` places, dropping trailing zeros.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let negative =
        value < 0.0 && (grouped.chars().any(|c| c != '0' && c != ',') || !fraction.is_empty());
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// A value with its unit: "96.5%", "£1,250", "104.2 kg", "8.3 days".
pub fn value(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Percent => format!("{}%", number(value, 1)),
        Unit::Pounds => format!("£{}", number(value, 0)),
        Unit::Count | Unit::Score => number(value, 1),
        Unit::Days => format!("{} days", number(value, 1)),
        Unit::Weeks => format!("{} weeks", number(value, 1)),
        Unit::Kilograms => format!("{} kg", number(value, 1)),
        Unit::Seconds => format!("{} seconds", number(value, 0)),
    }
}

/// An optional value, or a dash for none.
pub fn maybe_value(maybe: Option<f64>, unit: Unit) -> String {
    maybe
        .map(|v| value(v, unit))
        .unwrap_or_else(|| "–".to_string())
}

/// Bytes as lower-case hexadecimal: hashes, seals and random tokens.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What someone typed, in quotes and cut to 60 characters, for a message that repeats it.
pub fn quoted(text: &str) -> String {
    let clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        format!("\"{clipped}…\"")
    } else {
        format!("\"{clipped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_number_format() {
        assert_eq!(number(1234.5, 1), "1,234.5");
        assert_eq!(number(1234567.0, 0), "1,234,567");
        assert_eq!(number(12.0, 1), "12");
        assert_eq!(number(-1234.25, 2), "-1,234.25");
        assert_eq!(number(-0.01, 1), "0");
        assert_eq!(number(999.96, 1), "1,000");
        assert_eq!(number(f64::NAN, 1), "–");
        assert_eq!(value(96.54, Unit::Percent), "96.5%");
        assert_eq!(value(1250.0, Unit::Pounds), "£1,250");
        assert_eq!(value(104.23, Unit::Kilograms), "104.2 kg");
        assert_eq!(maybe_value(None, Unit::Days), "–");
    }
}
