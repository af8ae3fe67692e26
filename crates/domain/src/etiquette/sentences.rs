//! Splitting what a seeker wrote into the sentences the etiquette check judges one at a time.
//!
//! A request is written by a person, not a typesetter: purposes wrap lines mid-sentence, questions come as
//! numbered or bulleted lists, and full stops also end abbreviations ("Dr.", "U.S.", "e.g."). The splitter
//! therefore decides each boundary from the characters around it instead of cutting at every dot or newline.

/// Abbreviations that never end a sentence, in lower case and without their final dot. Titles come first,
/// then the Latin and business shorthand a request is likely to contain.
const NEVER_FINAL: &[&str] = &[
    "dr", "mr", "mrs", "ms", "mx", "prof", "sr", "jr", "st", "rev", "hon", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "pres", "vs", "approx", "dept", "est", "fig", "vol", "ch", "sec", "ave", "blvd", "mt", "ft", "no",
    "nos", "yrs", "mos", "hrs", "mins", "min", "max", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "cf",
];

/// Abbreviations that often close a sentence too ("... design, research, etc."): they end one only when
/// the next word starts with a capital letter.
const SOMETIMES_FINAL: &[&str] = &["etc", "inc", "ltd", "co", "corp", "llc", "plc", "a.m", "p.m", "am", "pm"];

/// The sentences of `text`, whitespace collapsed and list markers ("1.", "-", "•", "a)") removed; fragments
/// without a letter (a stray "2." between list items) are dropped.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < chars.len() {
        let (position, character) = chars[index];
        if character == '\n' {
            if line_break_ends_sentence(text, position) {
                push_sentence(&mut found, &text[start..position]);
                start = position + 1;
            }
            index += 1;
            continue;
        }
        if is_terminal(character) {
            let mut after = index;
            while after < chars.len() && is_terminal(chars[after].1) {
                after += 1;
            }
            while after < chars.len() && is_closing(chars[after].1) {
                after += 1;
            }
            let end = chars.get(after).map_or(text.len(), |&(offset, _)| offset);
            let followed_by_space = chars.get(after).is_none_or(|&(_, next)| next.is_whitespace());
            let run = &text[position..end];
            if followed_by_space && terminal_ends_sentence(&text[start..position], run, &text[end..]) {
                push_sentence(&mut found, &text[start..end]);
                start = end;
            }
            index = after;
            continue;
        }
        index += 1;
    }
    push_sentence(&mut found, &text[start..]);
    found
}

fn is_terminal(character: char) -> bool {
    matches!(character, '.' | '!' | '?' | '…')
}

fn is_closing(character: char) -> bool {
    matches!(character, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

/// Whether the run of terminal punctuation `run`, after the sentence so far `before` and followed by `rest`,
/// ends the sentence.
fn terminal_ends_sentence(before: &str, run: &str, rest: &str) -> bool {
    // "?", "!", "?!" and "..." end a sentence whatever came before; only a lone full stop is ambiguous.
    if run.trim_end_matches(is_closing) != "." {
        return true;
    }
    let word: String = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if word.is_empty() {
        return true;
    }
    let next_starts_capital = rest.trim_start().chars().next().is_some_and(char::is_uppercase);
    if SOMETIMES_FINAL.contains(&word.as_str()) {
        return next_starts_capital;
    }
    if NEVER_FINAL.contains(&word.as_str()) {
        return false;
    }
    // An initial, as in "J. Smith" ("I." is a sentence ending in the pronoun far more often than an initial).
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) && word != "i" {
        return false;
    }
    // Dotted shorthand: "e.g", "i.e", "u.s", "ph.d", "b.sc" (a web address has longer parts and ends sentences).
    if word.contains('.')
        && word.split('.').all(|part| !part.is_empty() && part.len() <= 3 && part.chars().all(char::is_alphabetic))
    {
        return false;
    }
    true
}

/// Whether the line break at byte `position` of `text` separates two sentences rather than wrapping one.
fn line_break_ends_sentence(text: &str, position: usize) -> bool {
    let previous = text[..position].rsplit('\n').next().unwrap_or_default().trim();
    let next = text[position + 1..].split('\n').next().unwrap_or_default().trim();
    if previous.is_empty() || next.is_empty() {
        return true;
    }
    previous.ends_with(['.', '!', '?', '…', ':', ';'])
        || list_marker_len(next) > 0
        || next.chars().next().is_some_and(char::is_uppercase)
}

/// The byte length of a leading list marker ("- ", "• ", "3. ", "(b) ", "2) "), or 0 when there is none.
fn list_marker_len(line: &str) -> usize {
    let trimmed = line.trim_start();
    let skipped = line.len() - trimmed.len();
    let Some(marker) = bullet_len(trimmed).or_else(|| label_len(trimmed)) else {
        return 0;
    };
    // A marker is followed by a space; "3.5 years" and "-based" are not markers.
    match trimmed[marker..].chars().next() {
        Some(c) if c.is_whitespace() => skipped + marker,
        _ => 0,
    }
}

fn bullet_len(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    matches!(first, '-' | '*' | '•' | '·' | '‣' | '◦' | '–').then(|| first.len_utf8())
}

/// "3.", "12)", "(2)", "b)", "(c)": a number closed by a dot or parenthesis, or a lower-case letter closed by
/// a parenthesis (a letter and a dot is too often "e.g.").
fn label_len(line: &str) -> Option<usize> {
    let body = line.strip_prefix('(').unwrap_or(line);
    let opened = line.len() - body.len();
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let (label, closers): (usize, &[char]) = if (1..=2).contains(&digits) {
        (digits, &[')', '.'])
    } else if body.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        (1, &[')'])
    } else {
        return None;
    };
    let closer = body[label..].chars().next()?;
    closers.contains(&closer).then_some(opened + label + 1)
}

fn push_sentence(found: &mut Vec<String>, raw: &str) {
    let mut rest = raw.trim();
    loop {
        let marker = list_marker_len(rest);
        if marker == 0 {
            break;
        }
        rest = rest[marker..].trim_start();
    }
    if rest.chars().any(char::is_alphabetic) {
        found.push(rest.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_sentence_ends_and_keeps_the_punctuation() {
        assert_eq!(
            sentences("I teach maths. How did you start?  What surprised you!"),
            ["I teach maths.", "How did you start?", "What surprised you!"]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("I worked with Dr. Okafor in the U.S. Army for 3.5 yrs. and met J. R. Lee there. Then I left."),
            ["I worked with Dr. Okafor in the U.S. Army for 3.5 yrs. and met J. R. Lee there.", "Then I left."]
        );
        assert_eq!(sentences("Topics, e.g. pay, i.e. money."), ["Topics, e.g. pay, i.e. money."]);
        assert_eq!(sentences("Research, design, etc. What else?"), ["Research, design, etc.", "What else?"]);
        assert_eq!(sentences("Meet at 9 a.m. on Monday."), ["Meet at 9 a.m. on Monday."]);
    }

    #[test]
    fn question_lists_become_one_sentence_per_item() {
        let text = "My questions:\n1. What does a day look like?\n2) How did you train\n- Who do you work with\n(b) What next?";
        assert_eq!(
            sentences(text),
            ["My questions:", "What does a day look like?", "How did you train", "Who do you work with", "What next?"]
        );
        assert_eq!(sentences("1. What is hard? 2. What is fun?"), ["What is hard?", "What is fun?"]);
    }

    #[test]
    fn wrapped_lines_are_joined_and_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("I was hoping\nto learn how you\nmoved into design. \"Was it hard?\" I wonder."),
            ["I was hoping to learn how you moved into design.", "\"Was it hard?\"", "I wonder."]
        );
    }

    #[test]
    fn numbers_and_markers_that_are_not_markers_stay() {
        assert_eq!(sentences("3.5 years in sales"), ["3.5 years in sales"]);
        assert_eq!(sentences("-based teams"), ["-based teams"]);
        assert!(sentences("  \n 2. \n").is_empty());
    }
}
