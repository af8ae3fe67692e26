//! RFC 5545 §3.1 content lines: unfolding, `NAME;PARAM=VALUE:value` lines, and `BEGIN`/`END` nesting.
//!
//! Deliberately lenient about what real exports get wrong and strict about what would make us misread
//! them: LF-only line ends, blank lines, lower-case names and a byte-order mark are accepted; a missing
//! `END` (a download cut short), mismatched nesting or a line that is not `NAME:value` are errors with
//! the line number, so a broken file never silently replaces a good import.

use super::ImportError;

/// Components may nest this deep (VCALENDAR > VEVENT > VALARM is three); deeper is not a calendar.
const MAX_DEPTH: usize = 8;

/// One property (content line) after unfolding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Property {
    /// Upper-cased, as names are case-insensitive.
    pub name: String,
    /// Parameter names upper-cased; values with their quotes removed, several values joined by `,`.
    pub params: Vec<(String, String)>,
    pub value: String,
    /// The physical line the property starts on (1-based), for error messages.
    pub line: usize,
}

impl Property {
    /// The value of parameter `name` (upper-case), if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// A `BEGIN:NAME` … `END:NAME` block with its properties and nested components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Component {
    /// Upper-cased.
    pub name: String,
    /// The line of its `BEGIN`.
    pub line: usize,
    pub properties: Vec<Property>,
    pub children: Vec<Component>,
}

impl Component {
    fn new(name: String, line: usize) -> Self {
        Self { name, line, properties: Vec::new(), children: Vec::new() }
    }

    /// The first property called `name` (upper-case).
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|property| property.name == name)
    }

    /// Every property called `name` (upper-case), in file order.
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |property| property.name == name)
    }
}

/// Parses the text into its top-level components, each of which must be a `VCALENDAR`.
pub(super) fn parse(text: &str) -> Result<Vec<Component>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut calendars = Vec::new();
    // Open components, innermost last.
    let mut open: Vec<Component> = Vec::new();
    for (line, content) in unfold(text) {
        if content.trim().is_empty() {
            continue;
        }
        if calendars.is_empty() && open.is_empty() && !is_begin_calendar(&content) {
            return Err(ImportError::NotACalendar(format!(
                "it should begin with BEGIN:VCALENDAR, but line {line} reads \"{}\"",
                snippet(&content)
            )));
        }
        let property = parse_line(&content, line)?;
        match property.name.as_str() {
            "BEGIN" => {
                let name = property.value.trim().to_ascii_uppercase();
                if open.is_empty() && name != "VCALENDAR" {
                    return Err(ImportError::invalid(line, format!("BEGIN:{name} outside BEGIN:VCALENDAR")));
                }
                if open.len() >= MAX_DEPTH {
                    return Err(ImportError::invalid(line, "components are nested too deeply"));
                }
                open.push(Component::new(name, line));
            }
            "END" => {
                let name = property.value.trim().to_ascii_uppercase();
                let Some(component) = open.pop() else {
                    return Err(ImportError::invalid(line, format!("END:{name} without a matching BEGIN")));
                };
                if component.name != name {
                    return Err(ImportError::invalid(
                        line,
                        format!("END:{name} does not close BEGIN:{} from line {}", component.name, component.line),
                    ));
                }
                match open.last_mut() {
                    Some(parent) => parent.children.push(component),
                    None => calendars.push(component),
                }
            }
            _ => match open.last_mut() {
                Some(component) => component.properties.push(property),
                None => {
                    return Err(ImportError::invalid(line, format!("{} appears after END:VCALENDAR", property.name)));
                }
            },
        }
    }
    if let Some(unclosed) = open.into_iter().next_back() {
        return Err(ImportError::Truncated { component: unclosed.name, line: unclosed.line });
    }
    if calendars.is_empty() {
        return Err(ImportError::NotACalendar("the file is empty".to_owned()));
    }
    Ok(calendars)
}

fn is_begin_calendar(content: &str) -> bool {
    content.split_once(':').is_some_and(|(name, value)| {
        name.trim().eq_ignore_ascii_case("BEGIN") && value.trim().eq_ignore_ascii_case("VCALENDAR")
    })
}

/// The first characters of a line, for a message: control characters dropped, long lines shortened.
fn snippet(content: &str) -> String {
    const SHOWN: usize = 40;
    let cleaned: String = content.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.chars().count() > SHOWN {
        format!("{}…", cleaned.chars().take(SHOWN).collect::<String>())
    } else {
        cleaned.to_owned()
    }
}

/// Logical lines with the physical line each starts on: a line beginning with a space or a tab continues the
/// previous one (that one character removed). CRLF and LF endings are both accepted.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        let continuation = physical.strip_prefix(' ').or_else(|| physical.strip_prefix('\t'));
        match (continuation, lines.last_mut()) {
            (Some(rest), Some((_, previous))) => previous.push_str(rest),
            _ => lines.push((index + 1, physical.to_owned())),
        }
    }
    lines
}

/// `NAME *(";" param) ":" value`, RFC 5545 §3.1.
fn parse_line(content: &str, line: usize) -> Result<Property, ImportError> {
    let name_end = content.find([';', ':']).ok_or_else(|| {
        ImportError::invalid(line, format!("expected a property like NAME:value, found \"{}\"", snippet(content)))
    })?;
    let name = content[..name_end].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ImportError::invalid(line, format!("\"{}\" is not a property name", snippet(name))));
    }
    let mut params = Vec::new();
    let mut rest = &content[name_end..];
    while let Some(after_semicolon) = rest.strip_prefix(';') {
        let (param, remaining) = parse_param(after_semicolon, line)?;
        params.push(param);
        rest = remaining;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or_else(|| ImportError::invalid(line, format!("expected ':' after the parameters of {name}")))?;
    Ok(Property { name: name.to_ascii_uppercase(), params, value: value.to_owned(), line })
}

/// One `NAME=value *("," value)` parameter; returns it and the text after it (starting with `;` or `:`).
fn parse_param(text: &str, line: usize) -> Result<((String, String), &str), ImportError> {
    let equals =
        text.find('=').ok_or_else(|| ImportError::invalid(line, "a parameter has no '=' (expected NAME=value)"))?;
    let name = text[..equals].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ImportError::invalid(line, format!("\"{}\" is not a parameter name", snippet(name))));
    }
    let mut values: Vec<&str> = Vec::new();
    let mut rest = &text[equals + 1..];
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let close = quoted
                .find('"')
                .ok_or_else(|| ImportError::invalid(line, format!("the quoted value of {name} is never closed")))?;
            values.push(&quoted[..close]);
            rest = &quoted[close + 1..];
        } else {
            let end = rest.find([',', ';', ':']).unwrap_or(rest.len());
            values.push(&rest[..end]);
            rest = &rest[end..];
        }
        match rest.strip_prefix(',') {
            Some(next) => rest = next,
            None => break,
        }
    }
    if !rest.starts_with([';', ':']) {
        return Err(ImportError::invalid(line, format!("unexpected text after the value of parameter {name}")));
    }
    Ok(((name.to_ascii_uppercase(), values.join(",")), rest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_are_joined_and_keep_their_first_line_number() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:A long\r\n  title\r\n\tcontinued\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let calendars = parse(text).unwrap();
        let event = &calendars[0].children[0];
        let summary = event.property("SUMMARY").unwrap();
        assert_eq!(summary.value, "A long titlecontinued");
        assert_eq!(summary.line, 3);
        assert_eq!(event.line, 2);
    }

    #[test]
    fn parameters_are_split_unquoted_and_upper_cased() {
        let property = parse_line(r#"dtstart;tzid="America/New_York";value=DATE-TIME:20260302T090000"#, 7).unwrap();
        assert_eq!(property.name, "DTSTART");
        assert_eq!(property.param("TZID"), Some("America/New_York"));
        assert_eq!(property.param("VALUE"), Some("DATE-TIME"));
        assert_eq!(property.value, "20260302T090000");

        let quoted = parse_line(r#"ATTENDEE;CN="Doe; Jane: PhD";ROLE=A,B:mailto:j@example.org"#, 1).unwrap();
        assert_eq!(quoted.param("CN"), Some("Doe; Jane: PhD"));
        assert_eq!(quoted.param("ROLE"), Some("A,B"));
        assert_eq!(quoted.value, "mailto:j@example.org");
    }

    #[test]
    fn lf_endings_blank_lines_and_a_byte_order_mark_are_accepted() {
        let text = "\u{feff}BEGIN:VCALENDAR\n\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR";
        assert_eq!(parse(text).unwrap()[0].children.len(), 1);
    }

    #[test]
    fn what_is_not_a_calendar_says_what_it_is() {
        let error = parse("<!DOCTYPE html>\n<html><body>Sign in</body></html>").unwrap_err();
        assert_eq!(
            error.to_string(),
            "this is not an iCalendar file: it should begin with BEGIN:VCALENDAR, but line 1 reads \"<!DOCTYPE html>\""
        );
        assert!(matches!(parse("  \n").unwrap_err(), ImportError::NotACalendar(_)));
    }

    #[test]
    fn broken_structure_is_reported_with_its_line() {
        let cut = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\n").unwrap_err();
        assert_eq!(cut, ImportError::Truncated { component: "VEVENT".into(), line: 2 });

        let mismatched = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VTODO\nEND:VCALENDAR\n").unwrap_err();
        assert_eq!(mismatched.to_string(), "line 3: END:VTODO does not close BEGIN:VEVENT from line 2");

        let garbage = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nthis is not a property\nEND:VEVENT\nEND:VCALENDAR\n");
        assert_eq!(garbage.unwrap_err().line(), Some(3));

        let unclosed_quote = parse("BEGIN:VCALENDAR\nX-A;P=\"open:1\nEND:VCALENDAR\n").unwrap_err();
        assert_eq!(unclosed_quote.line(), Some(2));

        let trailing = parse("BEGIN:VCALENDAR\nEND:VCALENDAR\nUID:stray\n").unwrap_err();
        assert_eq!(trailing.line(), Some(3));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut text = String::from("BEGIN:VCALENDAR\n");
        for _ in 0..20 {
            text.push_str("BEGIN:X\n");
        }
        assert!(parse(&text).unwrap_err().to_string().contains("nested too deeply"));
    }
}
