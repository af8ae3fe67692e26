//! The words of matching: skill, role, industry, language and region names brought to one canonical spelling, so
//! that "JS" meets "JavaScript" and "PM" meets "product manager" in relevance scores and in text search.
//!
//! The standard vocabulary is `data/vocabulary.tsv` (ours, compiled in): one canonical name per line, a tab, then
//! its synonyms and abbreviations separated by commas.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::MatchingError;

/// The vocabulary shipped with Coffeechat.
pub const STANDARD_TSV: &str = include_str!("../data/vocabulary.tsv");

/// The longest synonym, in words; phrase matching never looks further ahead.
const MAX_PHRASE_WORDS: usize = 8;

/// Canonical names and the synonyms that lead to them.
///
/// ```
/// use coffeechat_matching::Vocabulary;
///
/// let vocabulary = Vocabulary::standard();
/// assert_eq!(vocabulary.normalise("  JS "), "javascript");
/// assert_eq!(vocabulary.normalise("Senior PM"), "senior product manager");
/// assert_eq!(vocabulary.normalise("UX-Research"), vocabulary.normalise("user experience research"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Every spelling (canonical or synonym) as normalised words → its canonical name in normalised words.
    canonical_of: HashMap<Vec<String>, String>,
    /// Canonical name (normalised) → every spelling of it, canonical first, then synonyms in file order.
    spellings: BTreeMap<String, Vec<String>>,
}

impl Vocabulary {
    /// The standard vocabulary, parsed once.
    pub fn standard() -> &'static Vocabulary {
        static STANDARD: OnceLock<Vocabulary> = OnceLock::new();
        // The file is ours and a unit test parses it strictly; should a bad line slip in anyway, the
        // lenient reading keeps the first meaning of a spelling rather than failing at run time.
        STANDARD.get_or_init(|| Self::read(STANDARD_TSV).0)
    }

    /// Reads a vocabulary in the TSV format of `data/vocabulary.tsv`.
    ///
    /// # Errors
    /// [`MatchingError::Parse`] for a line with an empty canonical name, or a spelling that already belongs to
    /// another canonical name (the first line to claim a spelling keeps it).
    pub fn from_tsv(text: &str) -> Result<Self, MatchingError> {
        let (vocabulary, problems) = Self::read(text);
        match problems.into_iter().next() {
            Some((line, problem)) => Err(MatchingError::Parse { line, problem }),
            None => Ok(vocabulary),
        }
    }

    fn read(text: &str) -> (Self, Vec<(u64, String)>) {
        let mut vocabulary = Self::default();
        let mut problems = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line_number = u64::try_from(index + 1).unwrap_or(u64::MAX);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let (canonical, synonyms) = line.split_once('\t').unwrap_or((line, ""));
            let canonical_words = words(canonical);
            if canonical_words.is_empty() {
                problems.push((line_number, "the canonical name is empty".to_owned()));
                continue;
            }
            if canonical_words.len() > MAX_PHRASE_WORDS {
                problems.push((line_number, format!("{canonical:?} is longer than {MAX_PHRASE_WORDS} words")));
                continue;
            }
            let canonical_text = canonical_words.join(" ");
            let spellings = std::iter::once(canonical).chain(synonyms.split(',')).map(words);
            for spelling in spellings.filter(|spelling| !spelling.is_empty()) {
                if spelling.len() > MAX_PHRASE_WORDS {
                    problems.push((line_number, format!("{:?} is longer than {MAX_PHRASE_WORDS} words", spelling)));
                    continue;
                }
                match vocabulary.canonical_of.get(&spelling) {
                    Some(existing) if *existing == canonical_text => {}
                    Some(existing) => {
                        problems.push((line_number, format!("{:?} already means {existing:?}", spelling.join(" "))))
                    }
                    None => {
                        vocabulary.spellings.entry(canonical_text.clone()).or_default().push(spelling.join(" "));
                        vocabulary.canonical_of.insert(spelling, canonical_text.clone());
                    }
                }
            }
        }
        (vocabulary, problems)
    }

    /// How many canonical names the vocabulary holds.
    pub fn len(&self) -> usize {
        self.spellings.len()
    }

    /// Whether the vocabulary knows no names at all.
    pub fn is_empty(&self) -> bool {
        self.spellings.is_empty()
    }

    /// Canonical names (normalised), in alphabetical order.
    pub fn canonical_names(&self) -> impl Iterator<Item = &str> {
        self.spellings.keys().map(String::as_str)
    }

    /// A name or phrase in canonical form: lower case, punctuation other than `+` and `#` turned into spaces,
    /// single spaces, and every known synonym (the longest that fits, word by word from the left) replaced by
    /// its canonical name. Unknown words stay as they are, so "Senior PM" becomes "senior product manager".
    pub fn normalise(&self, text: &str) -> String {
        self.normalised_words(text).join(" ")
    }

    /// [`Vocabulary::normalise`] as a list of words.
    pub fn normalised_words(&self, text: &str) -> Vec<String> {
        let raw = words(text);
        let mut out = Vec::with_capacity(raw.len());
        let mut at = 0;
        while at < raw.len() {
            let longest = (1..=MAX_PHRASE_WORDS.min(raw.len() - at))
                .rev()
                .find_map(|len| self.canonical_of.get(&raw[at..at + len]).map(|canonical| (len, canonical)));
            match longest {
                Some((len, canonical)) => {
                    out.extend(canonical.split(' ').map(str::to_owned));
                    at += len;
                }
                None => {
                    out.push(raw[at].clone());
                    at += 1;
                }
            }
        }
        out
    }

    /// Whether two names mean the same thing once normalised (and neither is blank).
    pub fn same(&self, a: &str, b: &str) -> bool {
        let a = self.normalise(a);
        !a.is_empty() && a == self.normalise(b)
    }

    /// Every spelling of the canonical name `text` normalises to, canonical first; a text the vocabulary does not
    /// know as a whole is returned alone (normalised). Used to widen text searches: "JS" → javascript, js,
    /// ecmascript, …
    pub fn spellings(&self, text: &str) -> Vec<String> {
        let normalised = self.normalise(text);
        match self.spellings.get(&normalised) {
            Some(spellings) => spellings.clone(),
            None if normalised.is_empty() => Vec::new(),
            None => vec![normalised],
        }
    }

    /// A free-text search cut into groups: each group is one known name (all its spellings, each a list of
    /// words, the spelling as typed first) or one unknown word. A host matches the search when it matches one
    /// spelling of every group. "JS developer" gives `[[js], [javascript], [ecmascript], …]` and
    /// `[[developer], [software, engineer], …]`.
    pub fn search_groups(&self, text: &str) -> Vec<Vec<Vec<String>>> {
        let raw = words(text);
        let mut groups = Vec::new();
        let mut at = 0;
        while at < raw.len() {
            let longest = (1..=MAX_PHRASE_WORDS.min(raw.len() - at))
                .rev()
                .find_map(|len| self.canonical_of.get(&raw[at..at + len]).map(|canonical| (len, canonical)));
            match longest {
                Some((len, canonical)) => {
                    let typed = raw[at..at + len].to_vec();
                    let spellings = self.spellings.get(canonical).map(Vec::as_slice).unwrap_or_default();
                    let others = spellings.iter().map(|spelling| words(spelling)).filter(|other| *other != typed);
                    groups.push(std::iter::once(typed.clone()).chain(others).collect());
                    at += len;
                }
                None => {
                    groups.push(vec![vec![raw[at].clone()]]);
                    at += 1;
                }
            }
        }
        groups
    }
}

/// Lower-cased words: runs of letters, digits, `+` and `#` (so "C++" and "C#" survive); everything else separates.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> &'static Vocabulary {
        Vocabulary::standard()
    }

    #[test]
    fn the_standard_file_reads_strictly_and_is_large_enough() {
        let strict = Vocabulary::from_tsv(STANDARD_TSV).unwrap();
        assert!(strict.len() >= 150, "only {} names", strict.len());
        assert_eq!(strict.len(), vocabulary().len());
    }

    #[test]
    fn abbreviations_and_synonyms_meet() {
        let v = vocabulary();
        for (a, b) in [
            ("JS", "JavaScript"),
            ("ecmascript", "javascript"),
            ("PM", "product manager"),
            ("Product Management", "product manager"),
            ("UX researcher", "User Experience Research"),
            ("k8s", "Kubernetes"),
            ("golang", "Go"),
            ("ICU nurse", "intensive care nurse"),
            ("critical care nurse", "ICU nurse"),
            ("Non-profit", "nonprofit"),
            ("SRE", "site reliability engineer"),
        ] {
            assert!(v.same(a, b), "{a:?} and {b:?}");
            assert_eq!(v.normalise(a), v.normalise(b));
        }
        assert!(!v.same("Java", "JavaScript"));
        assert!(!v.same("", ""));
    }

    #[test]
    fn case_spacing_and_punctuation_do_not_matter() {
        let v = vocabulary();
        assert_eq!(v.normalise("  Data   SCIENTIST. "), "data scientist");
        assert_eq!(v.normalise("Node.js"), "node js");
        assert_eq!(v.normalise("C++"), "c++");
        assert_eq!(v.normalise("C#"), "c#");
        assert_ne!(v.normalise("C++"), v.normalise("C#"));
        assert_eq!(v.normalise("e-commerce"), "e commerce");
        assert_eq!(v.normalise("***"), "");
    }

    #[test]
    fn phrases_inside_longer_names_are_replaced_longest_first() {
        let v = vocabulary();
        assert_eq!(v.normalise("Senior PM"), "senior product manager");
        assert_eq!(v.normalise("Lead UX researcher"), "lead user experience research");
        assert_eq!(v.normalise("ux"), "user experience design");
        assert_eq!(v.normalise("secondary-school teacher"), "teacher");
        assert_eq!(v.normalise("teaching assistant"), "teaching assistant");
    }

    #[test]
    fn every_spelling_normalises_to_its_canonical_name_which_is_a_fixed_point() {
        let v = vocabulary();
        for canonical in v.canonical_names() {
            assert_eq!(v.normalise(canonical), canonical);
            for spelling in v.spellings(canonical) {
                assert_eq!(v.normalise(&spelling), canonical, "{spelling:?}");
            }
        }
    }

    #[test]
    fn spellings_widen_a_search() {
        let v = vocabulary();
        let js = v.spellings("JS");
        assert_eq!(js[0], "javascript");
        assert!(js.contains(&"js".to_owned()) && js.contains(&"ecmascript".to_owned()));
        assert_eq!(v.spellings("quantum basket weaving"), ["quantum basket weaving"]);
        assert!(v.spellings(" ").is_empty());
    }

    #[test]
    fn search_groups_keep_unknown_words_alone() {
        let v = vocabulary();
        let groups = v.search_groups("JS hiking");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0][0], ["js"]);
        assert!(groups[0].contains(&vec!["javascript".to_owned()]));
        assert_eq!(groups[0].iter().filter(|spelling| spelling.as_slice() == ["js"]).count(), 1);
        assert_eq!(groups[1], [["hiking"]]);
        let pm = v.search_groups("product management");
        assert_eq!(pm.len(), 1);
        assert!(pm[0].contains(&vec!["pm".to_owned()]));
    }

    #[test]
    fn conflicting_lines_are_refused_with_their_line_number() {
        let error = Vocabulary::from_tsv("# note\njavascript\tjs\njson\tjs\n").unwrap_err();
        assert!(matches!(error, MatchingError::Parse { line: 3, .. }), "{error:?}");
        assert!(Vocabulary::from_tsv("\t x\n").is_err());
        // The lenient reading keeps the first meaning.
        let (lenient, problems) = Vocabulary::read("javascript\tjs\njson\tjs\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(lenient.normalise("js"), "javascript");
    }
}
