//! Lengths of time named in a sentence ("an hour", "45 minutes to an hour", "20-30 mins", "a couple of hours"),
//! so that a request can be compared with the length the host offers.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A length named in a normalised sentence: where it is, and how many minutes it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NamedLength {
    pub start: usize,
    pub end: usize,
    pub minutes: u32,
}

/// The ways people write a length, longest forms first (the regex takes the first alternative that matches
/// at a position, so "an hour and a half" must come before "an hour").
static LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?x)
        \b(?:
            (?P<hour_and_half>(?:an?|one)\ hour\ and\ a\ half|one\ and\ a\ half\ hours?)
          | (?P<half_hour>half(?:\ an|\ a)?[\ -]hour)
          | (?P<quarter_hour>(?:a\ )?quarter\ of\ an\ hour|quarter[\ -]hour)
          | (?P<low>\d+(?:\.\d+)?)\ ?(?:-|–|to|or)\ ?(?P<high>\d+(?:\.\d+)?)\ ?-?\ ?(?P<range_unit>hours?|hrs?|h|minutes?|mins?)
          | (?P<number>\d+(?:\.\d+)?)\ ?-?\ ?(?P<number_unit>hours?|hrs?|h|minutes?|mins?)
          | (?:make\ it|do|go\ for|extend\ (?:it|this|that|the\ \w+)\ to|stretch\ (?:it|this|that)\ to|bump\ (?:it|that)\ (?:up\ )?to|round\ (?:it\ )?up\ to)\ (?P<bare>\d{2,3})
          | (?P<words>an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety
                |a\ couple\ of|a\ couple|couple\ of|a\ few|few|several|a\ full|one\ full|an\ entire|a\ whole|a\ solid|a\ good)
            [\ -]+(?P<words_unit>hours?|hrs?|minutes?|mins?)
        )\b",
    )
});

/// Words right after a length that make it something other than the length of a meeting: a frequency ("an
/// hour a day"), a notice period ("48 hours before"), a distance ("two hours ahead").
static NOT_A_MEETING_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^(?:'s|s')?\s*(?:(?:a|an|per|each|every|/)\s*(?:day|week|month|year|night|shift|morning|evening)\b|(?:before|after|ahead|behind|earlier|later|in advance|beforehand|prior|notice|of notice|from now|ago|away|drive|commute|flight|difference|time difference|early|late|of prep|of preparation|preparing|of reading|reading|of homework|daily|weekly|monthly|of sleep|of overtime|of training|of coursework|of study|studying|long commute|(?:lunch |coffee )?breaks?|walk|train|ride|shift|class|lecture|lesson|workout|nap|window|buffer|delay|layover|journey|trip|wait)\b)",
    )
});

/// Words right before a length with the same effect ("within 24 hours", "every 30 minutes").
static NOT_A_MEETING_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\b(?:within|every|each|per|in the (?:last|past|next)|over the (?:last|past))\s*$|\b(?:train|commute|drive|journey|flight|bus|trip|ride|walk|travel|class|lecture|shift|course|workout|run)s? (?:\w+ )?(?:takes?|took|is|lasts?|of)\s*(?:about |around |roughly |nearly |almost |over |under |just )?$",
    )
});

/// Whether a sentence counts in minutes, so that a bare number in it is a number of minutes.
static MINUTES_MENTIONED: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:minutes?|mins?)\b"));

/// Words right before a length that ask for more than it.
static MORE_THAN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?:more than|longer than|over|beyond|upwards of|past)\s*$"));

/// A length attributed to the host ("you offered 30 minutes"), which is not the seeker asking for it.
static THE_HOSTS_LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\byou(?:'ve| have)? (?:only |just |kindly )?(?:offer|offered|offers|mention|mentioned|said|set aside|allotted|listed|gave|posted|allow|allowed|booked|scheduled)\b|\b(?:know|see|understand|realis|realiz|appreciate|given|since|as|because)\w* (?:that )?you(?:'ve| have)? (?:only |just )?(?:have|had|can spare|can give|spare)\b|\byour (?:\w+ )?(?:slots?|page|profile|policy|calendar|limit|length)\b",
    )
});

fn compile(pattern: &str) -> Regex {
    // The patterns are constants of this module, checked by its tests; a typo is a programming error.
    Regex::new(pattern).unwrap_or_else(|error| panic!("length pattern does not compile: {error}"))
}

/// The lengths named in `sentence` that read as the length of the meeting, in order.
pub(crate) fn named_lengths(sentence: &str) -> Vec<NamedLength> {
    LENGTH
        .captures_iter(sentence)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let after = &sentence[whole.end()..];
            let before = &sentence[..whole.start()];
            if NOT_A_MEETING_AFTER.is_match(after)
                || NOT_A_MEETING_BEFORE.is_match(before)
                || THE_HOSTS_LENGTH.is_match(clause_before(before))
            {
                return None;
            }
            if captures.name("bare").is_some() && !MINUTES_MENTIONED.is_match(sentence) {
                return None;
            }
            let named = minutes(&captures)?;
            // "more than 30 minutes" asks for at least a minute more than 30.
            let minutes = if MORE_THAN.is_match(before) { named.saturating_add(1) } else { named };
            Some(NamedLength { start: whole.start(), end: whole.end(), minutes })
        })
        .collect()
}

/// The part of `before` after the last comma, semicolon or "but": the clause a length belongs to.
fn clause_before(before: &str) -> &str {
    let cut = [",", ";", " but ", " and "].iter().filter_map(|mark| before.rfind(mark).map(|at| at + mark.len())).max();
    cut.map_or(before, |at| &before[at..])
}

fn minutes(captures: &Captures<'_>) -> Option<u32> {
    if captures.name("hour_and_half").is_some() {
        return Some(90);
    }
    if captures.name("half_hour").is_some() {
        return Some(30);
    }
    if captures.name("quarter_hour").is_some() {
        return Some(15);
    }
    if let Some(bare) = captures.name("bare") {
        // "could we make it 50?": a bare number, read as minutes when the sentence talks in minutes.
        return bare.as_str().parse().ok();
    }
    let (count, unit) = if let (Some(high), Some(unit)) = (captures.name("high"), captures.name("range_unit")) {
        // "20-30 minutes": the seeker asks for up to the larger figure.
        (high.as_str().parse::<f64>().ok()?, unit.as_str())
    } else if let (Some(number), Some(unit)) = (captures.name("number"), captures.name("number_unit")) {
        (number.as_str().parse::<f64>().ok()?, unit.as_str())
    } else {
        (word_count(captures.name("words")?.as_str())?, captures.name("words_unit")?.as_str())
    };
    let per_unit = if unit.starts_with('h') { 60.0 } else { 1.0 };
    let total = (count * per_unit).round();
    // Nobody asks for more than a week of someone's time; anything larger is not a meeting length.
    (0.0..=10_080.0).contains(&total).then_some(total as u32)
}

fn word_count(words: &str) -> Option<f64> {
    Some(match words {
        "a" | "an" | "one" | "a full" | "one full" | "an entire" | "a whole" | "a solid" | "a good" => 1.0,
        "two" | "a couple of" | "a couple" | "couple of" => 2.0,
        "three" | "a few" | "few" | "several" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "forty-five" => 45.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lengths(sentence: &str) -> Vec<u32> {
        named_lengths(sentence).iter().map(|length| length.minutes).collect()
    }

    #[test]
    fn reads_numbers_words_ranges_and_halves() {
        assert_eq!(lengths("could we talk for an hour?"), [60]);
        assert_eq!(lengths("an hour and a half would be ideal"), [90]);
        assert_eq!(lengths("half an hour, or a half-hour call"), [30, 30]);
        assert_eq!(lengths("20-30 minutes, maybe 45 mins to an hour"), [30, 45, 60]);
        assert_eq!(lengths("a 60-minute call or a two-hour lunch"), [60, 120]);
        assert_eq!(lengths("a couple of hours over lunch, 1.5 hours at most"), [120, 90]);
        assert_eq!(lengths("a quarter of an hour"), [15]);
        assert_eq!(lengths("more than 30 minutes"), [31]);
        assert_eq!(lengths("you offered 20 minutes, but could we make it 50?"), [50]);
        assert!(lengths("could we make it 50 people?").is_empty());
    }

    #[test]
    fn lengths_that_are_not_the_meeting_are_skipped() {
        assert!(lengths("i spend an hour a day on email").is_empty());
        assert!(lengths("i'll send my questions 48 hours before our call").is_empty());
        assert!(lengths("i can reply within 24 hours").is_empty());
        assert!(lengths("london is five hours ahead of new york").is_empty());
        assert!(lengths("i have a 45-minute lunch break").is_empty());
        assert!(lengths("my train takes an hour, so i'll join the call from home").is_empty());
        assert!(lengths("i know you offered 30 minutes").is_empty());
        assert_eq!(lengths("you offered 30 minutes, but could we do 45 minutes?"), [45]);
    }
}
