//! The etiquette rules as data: for each rule, a readable list of patterns, each saying what a host objects
//! to and how to say it instead.
//!
//! Patterns run on a normalised sentence: lower case, straight apostrophes, accents folded ("résumé" is
//! "resume"), whitespace collapsed. A pattern fires when its `trigger` matches inside one clause, the trigger
//! is not negated in that clause ("I'm **not** asking you to refer me"), its `context` (if any) appears in the
//! sentence, and its `except` (if any) does not. A trigger may mark the words that carry the objection with a
//! group named `t`; negation is then looked for up to that group, so "my boss **isn't** awful" is read as
//! negated while "my boss doesn't appreciate anyone" is not.
//!
//! Borderline cases are decided here, and written down in `docs/ETIQUETTE.md`:
//! * Asking how hiring works, what a field values, or how the host got their job is learning; asking what is
//!   open, for a referral, or for an edge for oneself at the host's employer is the inside track.
//! * A résumé as a subject ("how should I shape my résumé for this field?") is fine; a résumé handed over
//!   (attached, "have a look at my CV") is a pitch, and asking for a personal review is job development.
//! * Saying why one is changing careers in neutral words ("I want more room to grow", "I felt stuck") is fine;
//!   complaints about people or an employer are venting.
//! * A sentence or two of background is fine; three achievements in one sentence, or four in one request,
//!   read as a pitch (counted by [`ACHIEVEMENTS`]).

use super::Rule;

/// One readable pattern of a rule.
#[derive(Debug)]
pub(crate) struct PatternSpec {
    /// What the host objects to, in a few words ([`Rule::looks_for`] lists them).
    pub why: &'static str,
    /// The words that carry the objection.
    pub trigger: &'static str,
    /// Something else the sentence must contain for the trigger to count (a first-person speaker, talk of
    /// a meeting), so that "how do referrals work?" is not read as "refer me".
    pub context: Option<&'static str>,
    /// Words that make the sentence acceptable however the trigger reads ("in this field", "in general").
    pub except: Option<&'static str>,
    /// What to write instead. `{offered}` becomes "the 30 minutes" or "the time".
    pub suggestion: &'static str,
}

/// A rule and its patterns.
#[derive(Debug)]
pub(crate) struct RuleSpec {
    pub rule: Rule,
    pub patterns: &'static [PatternSpec],
}

// Vocabulary shared by several patterns. `concat!` keeps each pattern one readable literal.
macro_rules! resume {
    () => {
        r"(?:resumes?|cvs?|curriculum vitae|cover letters?|portfolio|linkedin(?: profile)?)"
    };
}
macro_rules! employer {
    () => {
        r"(?:company|team|firm|employer|organi[sz]ation|org|department|group|office|agency|studio|lab|practice|business|startup|division|unit|hospital|school|newsroom|bank)"
    };
}
macro_rules! job {
    () => {
        r"(?:jobs?|positions?|roles?|openings?|vacanc(?:y|ies)|internships?|apprenticeships?|traineeships?|residenc(?:y|ies)|fellowships?|clerkships?|placements?|opportunit(?:y|ies)|job openings?|job postings?|posts?|spots?|gigs?)"
    };
}
macro_rules! first_person {
    () => {
        r"\b(?:i|i'm|i'd|i've|i'll|me|my|myself|we|we're|we've|currently|actively)\b"
    };
}
/// Words that make a question about jobs a question about a whole field rather than the host's employer.
macro_rules! in_general {
    () => {
        r"\b(?:in|across|for|within) (?:this|the|your|that|our) (?:field|industry|sector|profession|line of work|market|area|world|space)\b|\bin general\b|\bgenerally\b"
    };
}
/// The seeker's own workplace and the people in it: "my boss", "the partners at my firm", "at work".
macro_rules! my_workplace {
    () => {
        r"(?:\b(?:my|our) (?:current |former |previous |old |last |new |direct |immediate |whole |entire )?(?:boss|bosses|manager|managers|supervisor|supervisors|employer|company|firm|job|workplace|team lead|team|coworkers?|co-workers?|colleagues?|director|department|ceo|management|leadership|organi[sz]ation|office|principal|clients?|agency|school|lab|head of department|editors?|partners|administration|superiors|higher-ups|executives|owners?|founders?|seniors|studio|practice|nonprofit|charity|bank|hospital|store|restaurant|newsroom|workload|hotel|kitchen|shop|warehouse|factory|site|ward|clinic|pharmacy|chef|head chef|foreman|headteacher|head teacher|dean|producer|line manager|shift manager|store manager|team leader)(?:'s)?|\b(?:stuck|working|work) (?:under|for|with) (?:a|an) (?:\w+ )?(?:boss|manager|supervisor|director|lead|chef)|\b(?:the )?(?:people|folks|guys|ones|everyone|everybody) (?:i|we) work (?:with|for|under)|\b(?:the )?(?:\w+ )?(?:people|partners|managers?|bosses|leadership|management|administration|executives|directors?|seniors|staff|team|colleagues|coworkers|owners?|founders?|editors?|clients|culture|politics|everyone|everybody) (?:at|in|on|of) (?:my|our) (?:\w+ )?(?:firm|company|office|school|work|job|workplace|team|department|organi[sz]ation|hospital|agency|practice|newsroom|store|shop|restaurant|lab|employer|studio|nonprofit|charity|bank|hotel|kitchen|warehouse|factory|clinic|pharmacy)|\b(?:the )?(?:management|leadership|bosses|managers) (?:here|at work)|\bat (?:my|our) (?:job|company|firm|office|workplace|agency|studio|school)|\bat work)\b"
    };
}
/// Kind words about the people at work: a sentence that has them is gratitude, not venting, even when it
/// mentions a hard time ("my manager was supportive through a terrible year").
macro_rules! kind_words {
    () => {
        r"\b(?:is|are|was|were|has been|have been|been) (?:so |very |really |incredibly |always )?(?:supportive|wonderful|kind|helpful|generous|encouraging|inspiring|great)\b|\bmentor(?:ed)?\b|\b(?:taught|encouraged|helped|supported) (?:me|us)\b|\bi(?:'m| am) grateful\b"
    };
}
/// Harsh words about people or a workplace.
macro_rules! harsh {
    () => {
        r"(?:terrible|awful|horrible|horrendous|atrocious|appalling|toxic|poisonous|incompetent|useless|clueless|hopeless|the worst|worst|nightmare|hostile|miserable|unbearable|intolerable|abusive|lazy|stupid|idiots?|idiotic|morons?|jerks?|a joke|pathetic|unfair|unreasonable|ungrateful|ridiculous|micromanag\w*|dysfunctional|chaotic|a mess|a disaster|disorgani[sz]ed|unprofessional|rude|petty|backstabb\w*|sucks?|crap|crappy|garbage|trash|rubbish|dead[- ]end|soul[- ]crushing|underpa(?:id|ys|y)|overwork\w*|exploit(?:s|ed|ing|ative)?|yell(?:s|ed|ing)?|scream(?:s|ed|ing)?|shout(?:s|ed|ing)?|belittl\w*|bull(?:y|ies|ied|ying)|harass\w*|liars?|lying|lies to|lied to|clowns?|fake|two-faced|snakes?|arrogant|condescending|dismissive|entitled|selfish|inept|nasty|hypocrit\w*|spineless|ruthless|power[- ]hungry|gossip\w*|control freaks?|tantrums?|out of touch|checked out|vindictive|cruel|greedy|stingy|corrupt|sexist|racist|bigoted|a sinking ship|a circus|infuriating|disgrace\w*|shameful|hellish|empty (?:promises|apologies)|broken promises|worthless|gaslight\w*|cheapskates?|cut(?:s|ting)? (?:every |all the )?corners|couldn't care less|could not care less|doesn't care|don't care|does not care|do not care|tyrants?|bull(?:ies|y))"
    };
}
/// "Open to career changers" is about who may apply, not about vacancies.
macro_rules! open_to {
    () => {
        r"\b(?:open|available) to (?:people|someone|anyone|career|candidates|those|newcomers|graduates|beginners|juniors|non|applicants|outsiders)"
    };
}
/// Words about the meeting itself, so that "an hour a day on email" is not a request for an hour.
macro_rules! meeting {
    () => {
        r"\b(?:talk|talking|chat|chatting|speak|speaking|meet|meeting|call|conversation|coffee|lunch|dinner|breakfast|drinks|catch up|zoom|session|sit down|spare|together|with you|of your time|your time|discussion|hang out|pick(?:ing)? your brain|shadow|shadowing|visit|give me|block out|set aside|carve out|reserve|schedule|book|free|available|up for|keep going|keep talking|keep chatting|take|let's)\b|\b(?:be|is) (?:okay|ok|alright|all right|possible|fine|enough|acceptable)\b|\b(?:work|suit) (?:for )?you\b|\b(?:could|can|shall|might|would) we\b|\bwe (?:could|can|might|should)\b"
    };
}

const HIRE_ME: &str = "Let the host talk about their work: this conversation isn't an application. Turn the pitch into a \
     question, such as \"What do the people who do well in your role have in common?\"";
const RESUME_HANDED_OVER: &str = "Leave the résumé out; the host agreed to talk, not to screen. If you'd like to know how to \
     present yourself in this field, ask it in general: \"What do people in your field look for on a résumé?\"";
const SELF_PRAISE: &str = "Describe yourself plainly, in a sentence, and spend the rest of your words on what you'd like \
     to learn from the host.";
/// Used for the long self-description that [`ACHIEVEMENTS`] detects.
pub(crate) const SELF_DESCRIPTION: &str = "A sentence or two about yourself is plenty; the host agreed to talk about \
     their work. Keep the detail that explains your questions and turn the rest into something you'd like to ask.";
const OPEN_JOBS: &str = "Ask how people find roles in this field rather than what is open now; the host isn't there to \
     brief you on vacancies. For example: \"How do people usually hear about roles like yours?\"";
const REFERRAL: &str = "Leave out the request for a referral or a good word; a host who gets to know you may offer one \
     in their own time. You could ask instead: \"What makes a candidate stand out in your field?\"";
const PASS_IT_ON: &str = "Please don't ask the host to pass your details on. Apply through the usual route, and use this \
     time to learn how the work is really done.";
const INSIDER_TIPS: &str = "Ask how hiring works in the field in general, not for an edge at the host's employer: \"What \
     does a typical hiring process look like for roles like yours?\"";
const FIND_ME_A_JOB: &str = "This time is for learning about the host's work, not for finding you a job. Say what you \
     want to understand, such as \"What would you focus on if you were starting out in this field today?\"";
const JOB_SEARCH: &str = "Put your search in terms of what you want to learn: \"I'm exploring a move into this field \
     and would love to hear how you found your way in.\"";
const COACHING: &str = "A résumé review or interview practice is a bigger favour than a conversation. Ask what the field \
     values instead: \"What do you notice first when you read a junior's résumé?\"";
const VENTING: &str = "Leave out complaints about your boss, colleagues or employer; hosts remember them. If it explains \
     your questions, say what you're looking for instead: \"I'd like a role with more room to grow.\"";
const OVER_TIME: &str = "Ask for no more than {offered} the host offers, and say you'll keep to it; if there is more to \
     talk about, the host can suggest a follow-up.";

/// Every rule with its patterns, in the order findings are reported for a sentence.
pub(crate) const RULES: &[RuleSpec] = &[
    RuleSpec { rule: Rule::Pitching, patterns: PITCHING },
    RuleSpec { rule: Rule::InsideTrack, patterns: INSIDE_TRACK },
    RuleSpec { rule: Rule::JobDevelopment, patterns: JOB_DEVELOPMENT },
    RuleSpec { rule: Rule::Venting, patterns: VENTING_PATTERNS },
    RuleSpec { rule: Rule::OverTime, patterns: OVER_TIME_PATTERNS },
];

/// Pitching oneself: the host wants to talk about their profession, not hear an application.
const PITCHING: &[PatternSpec] = &[
    PatternSpec {
        why: "asks to be hired or considered",
        trigger: r"\bhir(?:e|ing) me\b|\bconsider (?:me|my (?:application|profile|candidacy|resume|cv)) for\b",
        context: None,
        except: None,
        suggestion: HIRE_ME,
    },
    PatternSpec {
        why: "claims to be a great fit or the right candidate",
        trigger: r"\bi(?:'d| would|'ll| will)? (?:\w+ )?(?:be|make) (?:a|an|the) (?:\w+ )?(?:great|perfect|ideal|excellent|strong|valuable|good|fantastic|terrific|wonderful|natural|amazing|outstanding|right)(?: \w+)? (?:fit|asset|addition|candidate|hire|match|employee|member|choice)\b|\bi(?:'d| would|'ll| will)? (?:\w+ )?(?:be|make) (?:a|an) (?:real |true |big )?(?:asset|addition|fit) (?:to|for)\b|\bi(?:'m| am) (?:the |a |an )?(?:perfect|ideal|right|strong|great|excellent|best|top|natural) (?:candidate|person|fit|match|choice|hire)\b|\bwhy (?:i(?:'m| am|'d be| would be) (?:a |an |the )?(?:great|perfect|ideal|right|good|strong|best|excellent|qualified)|you should (?:hire|pick|choose|consider) me)\b|\bi(?:'d| would|'m| am)(?: be)?(?: \w+)? (?:perfect|ideal|ideally suited|well suited|a natural fit|the right fit|exactly what \w+ (?:needs?|wants?)) for (?:a|an|the|any|this|that|your)\b|\b(?:lucky|fortunate) to (?:have|get|hire) me\b|\b(?:makes?|made) me (?:a|an|the) (?:\w+ ){0,2}(?:choice|candidate|fit|asset|hire|addition|match)\b|\bexactly the (?:profile|person|candidate|skills?|experience) (?:you|your)\b",
        context: None,
        except: None,
        suggestion: HIRE_ME,
    },
    PatternSpec {
        why: "promotes themselves: better qualified, proving themselves, what they bring",
        trigger: r"\bi(?:'m| am)(?: [\w,-]+){0,3}? (?:better|more) (?:qualified|experienced|skilled|capable|talented|prepared) than\b|\b(?:prove|show) (?:myself|what i can do|what i'm capable of|my worth|my value)\b|\bwhat i (?:bring|can bring|would bring|could bring|have to offer|can offer|can do for you|could do for you|can contribute|could contribute)\b|\bsell (?:you on|myself)\b|\b(?:career|professional) highlights\b|\b(?:summary|list|overview|rundown|highlights) of (?:my|what i)\b|\bconsistently (?:deliver|exceed|outperform|achieve|surpass|beat)\w*\b|\b(?:beyond|above) (?:and beyond )?expectations\b|\bexceed(?:s|ed|ing)? (?:targets|expectations|goals|quotas)\b|\bexactly (?:the kind of|the sort of|what|who) (?:\w+ ){0,3}(?:you|your)\b|\bshould (?:be )?hir(?:e|ing) (?:me|someone like me|people like me)\b|\b(?:add|bring) (?:\w+ )?value to (?:your|the|any)\b|\bi pride myself\b|\b(?:see|think of|consider) me as (?:a |an |your )?(?:future |potential |prospective )?(?:colleague|hire|candidate|employee|team member|addition|asset)\b|\bi (?:have|bring|possess|offer) (?:all |exactly |just )?(?:the )?(?:skills|experience|qualifications|qualities|background) (?:\w+ ){0,4}(?:could want|needs?|wants?|looks? for|requires?)\b|\b(?:nobody|no one|none) (?:is )?(?:more|better) (?:\w+ ){0,4}than (?:me|i am|myself)\b|\b(?:deck|presentation|slides|one-pager|summary|overview|profile|bio) (?:about|on|of|introducing) (?:myself|me)\b|\b(?:see|view|look at|check out) my (?:\w+ )?(?:experience|background|profile|credentials|qualifications|achievements|accomplishments)\b",
        context: Some(r"\b(?:i|i'm|i'd|i've|me|my|myself)\b"),
        except: None,
        suggestion: SELF_PRAISE,
    },
    PatternSpec {
        why: "lists their own virtues",
        trigger: r"\bi(?:'m| am)(?: \w+){0,2}? (?:confident|adaptable|reliable|dependable|proactive|resourceful|versatile|tenacious|meticulous|driven|ambitious|dedicated|hard-?working|motivated|organi[sz]ed|creative|innovative|analytical|personable|diligent),?(?: \w+){0,2}? (?:and|,) (?:i )?(?:\w+ )?(?:confident|adaptable|reliable|dependable|proactive|resourceful|versatile|tenacious|meticulous|driven|ambitious|dedicated|hard-?working|motivated|organi[sz]ed|creative|innovative|analytical|personable|diligent|consistently|always deliver)\b",
        context: None,
        except: None,
        suggestion: SELF_PRAISE,
    },
    PatternSpec {
        why: "offers to present oneself",
        trigger: r"\b(?:tell|telling|show|showing|walk|walking|take|taking) you (?:all )?(?:about|through|why) (?:me|myself|my (?:background|experience|skills|achievements|accomplishments|qualifications|career|story|projects|strengths|work history))\b|\b(?:pitch|sell|market|promote) myself\b|\b(?:summary|list|overview|rundown) of my (?:accomplishments|achievements|skills|qualifications|strengths|awards)\b|\b(?:skills|experience|background|qualifications|track record) (?:would |will |should )?make me (?:a|an|the)\b|\b(?:want|need|have|get) me (?:on|in|at|for) (?:your|the) (?:\w+ )?(?:team|company|firm|department|group|organi[sz]ation|office|staff|payroll)\b|\b(?:want|need|hire|use|benefit from) (?:someone|somebody|a person|people) (?:like me|with my (?:track record|experience|skills|background|qualifications|talents?|record|results))\b",
        context: None,
        except: None,
        suggestion: SELF_PRAISE,
    },
    PatternSpec {
        why: "praises oneself in the words of a cover letter",
        trigger: r"\bi(?:'m| am|'ve been (?:told|called|described as)|'m (?:known|described|seen|regarded) as)(?: [\w,-]+){0,4}? (?:hard[- ]?working|highly motivated|self[- ]motivated|results[- ]driven|results[- ]oriented|detail[- ]oriented|self[- ]starter|team player|quick learner|fast learner|go[- ]getter|born leader|natural leader|top performer|high performer|high achiever|rock ?star|ninja|proven leader|visionary|talented|gifted|brilliant|exceptional|accomplished|problem[- ]solver)\b",
        context: None,
        except: None,
        suggestion: SELF_PRAISE,
    },
    PatternSpec {
        why: "hands over a résumé, portfolio or work samples",
        trigger: concat!(
            r"\b(?:attach|past|send|shar|includ|enclos|forward|link|upload|bring|present|show|email|drop)(?:e|es|ed|ing|s)? (?:you |over |along |across |through )?(?:a copy of |copies of |a link to )?(?:my|some|a few|some of my|a few of my) (?:\w+ ){0,2}(?:resumes?|cvs?|portfolio|cover letter|samples|clips|reel|showreel|transcripts?|case studies|references|credentials|headshots?|demo|designs|drawings|sketches|projects|writing|articles|photos|code|apps|prototypes|renders|pieces|work)\b|",
            r"\b(?:attached|attaching|enclosed|enclosing|included|including|sent|sending|forwarded|forwarding|uploaded|linked|shared|sharing|here is|here's|send you|email you|bring|bringing) (?:is |are |you |please find |along |below )?(?:a (?:\w+ )?cop(?:y|ies) of |a link to |the link to )?my ",
            resume!(),
            r"|\bmy ",
            resume!(),
            r" (?:is |are )?(?:attached|enclosed|included|below|linked)\b|\b(?:find|see) (?:attached|enclosed|below)(?: is| my)? (?:a copy of )?(?:my )?",
            resume!(),
            r"|\b(?:the |my )",
            resume!(),
            r" (?:that |which )?(?:i(?:'ve| have)? )?(?:enclosed|attached|included|linked|forwarded)\b|\b(?:look(?:ing)? at|glanc(?:e|ing) at|check(?:ing)? out|ha(?:ve|ving) a look at|tak(?:e|ing) a look at|peek(?:ing)? at|see|seeing|view|viewing|read|reading|flip(?:ping)? through) (?:a copy of )?my (?:\w+ )?(?:",
            resume!(),
            r"|work samples|website|github|projects)\b"
        ),
        context: None,
        except: Some(concat!(
            in_general!(),
            r"|\b(?:should i|do i need to|is it (?:worth|wise|ok|okay|normal|common|usual))\b"
        )),
        suggestion: RESUME_HANDED_OVER,
    },
];

/// The inside track: the host isn't a job board, a recruiter or a way around the hiring process.
const INSIDE_TRACK: &[PatternSpec] = &[
    PatternSpec {
        why: "asks which jobs are open or coming up",
        trigger: concat!(
            r"\b(?:which|what|any)(?: \w+){0,3} ",
            job!(),
            r"(?: \w+){0,4}? (?:open|open up|opening|opening up|available|vacant|coming up|on the horizon|coming|advertised|unfilled|posted)\b|\bwhat(?:'s| is) (?:open|available|coming up)\b"
        ),
        context: None,
        except: Some(concat!(
            in_general!(),
            "|",
            open_to!(),
            r"|\bwhen you (?:started|began|joined|graduated|were|applied)\b"
        )),
        suggestion: OPEN_JOBS,
    },
    PatternSpec {
        why: "asks about open positions at the host's employer",
        trigger: concat!(
            r"\b(?:open|available|vacant|upcoming|unadvertised|unlisted|unposted|unfilled|internal) (?:\w+ )?",
            job!(),
            r"|\b(?:openings|vacancies|job postings|open reqs|headcount)\b|\b",
            job!(),
            r" (?:available|open|vacant|going|up for grabs|coming up|opening up|on the horizon)\b"
        ),
        context: Some(
            r"\byour\b|\b(?:are|is) there\b|\bany\b|\bknow (?:of|about)\b|\bright now\b|\bat the moment\b|\bcurrently\b|\bsoon\b|\b(?:this|next) (?:year|quarter|month|spring|summer|fall|autumn|winter)\b|\bhere\b|\bme\b|\bi\b",
        ),
        except: Some(concat!(in_general!(), "|", open_to!())),
        suggestion: OPEN_JOBS,
    },
    PatternSpec {
        why: "asks about jobs opening up at the host's employer, or to hear of them first",
        trigger: concat!(
            r"\b",
            job!(),
            r" (?:to )?(?:come|coming|open|opening) up\b|\b(?:an|any|the next) opening(?: (?:on|at|in|with|for) (?:your|the)\b|\s*[,?.!]|$)|\b(?:send|pass|forward) (?:it|them|those|that|any(?:thing)?) (?:my way|to me|along to me|on to me)\b|\bfirst dibs\b"
        ),
        context: Some(r"\byour\b|\byou\b|\bthere\b|\bme\b|\bmy\b"),
        except: Some(concat!(
            in_general!(),
            "|",
            open_to!(),
            r"|\bwhen you (?:started|began|joined|graduated|were|applied)\b|\bhow did you\b"
        )),
        suggestion: OPEN_JOBS,
    },
    PatternSpec {
        why: "asks about jobs that are never advertised, or to hear when one opens",
        trigger: concat!(
            r"\b(?:never|don't|do not|aren't|are not|isn't|is not|rarely) (?:get |getting |being |been )?(?:advertised|posted|listed|publici[sz]ed|made public)\b|\b",
            job!(),
            r" (?:\w+ )?(?:opens?|opening|comes? up|becomes? available|frees? up)\b"
        ),
        context: Some(
            r"\b(?:heads-up|let me know|tell me|send|ping|notify|alert|first|me|my|your|are there|is there)\b",
        ),
        except: Some(concat!(in_general!(), r"|\bhow (?:often|do|does|did|are|is)\b")),
        suggestion: OPEN_JOBS,
    },
    PatternSpec {
        why: "asks whether the host's employer is hiring",
        trigger: r"\b(?:is|are) (?:you|they|you guys|your(?: \w+){1,2})(?: currently| still| actively| even| also| by any chance)? (?:hiring|recruiting|taking on|bringing on|looking for (?:\w+ )?(?:people|someone|hires|candidates|interns|juniors|graduates|grads|staff|talent|engineers|developers|designers|analysts|nurses|apprentices|trainees))\b|\b(?:which|who|what)(?: \w+){0,4} (?:are|is) (?:currently |actively |still )?(?:hiring|recruiting)\b|\b(?:hiring|recruiting) (?:right now|at the moment|currently|soon|this (?:year|quarter|month|season|spring|summer|fall|autumn|winter)|next (?:year|quarter|month))\b|\b(?:plans?|planning|going|expect(?:ing)?|likely) (?:on |to )?(?:hire|hiring|recruit|recruiting|add headcount|grow the team|expand the team)\b|\b(?:know|tell me|let me know|find out|wonder|wondering|curious) (?:if|whether) (?:your|the|they)(?: \w+){0,3} (?:is|are|will be|might be) (?:\w+ )?(?:hiring|recruiting)\b|\b(?:chance|possibility|likely|any idea|happen to know)(?: \w+){0,3} (?:your|the|they)(?: \w+){0,2} (?:is|are|will be|might be) (?:\w+ )?(?:hiring|recruiting|taking on|bringing on)\b",
        context: Some(r"\byou\b|\byour\b|\bthey\b"),
        except: Some(in_general!()),
        suggestion: OPEN_JOBS,
    },
    PatternSpec {
        why: "asks for a referral",
        trigger: r"\brefer(?:ring)? me\b|\bme (?:a |an |your )?(?:\w+ )?referral\b|\b(?:appreciate|like|love|want|need|hoping for|hope for|ask(?:ing)?(?: you)? for|request(?:ing)?|get|getting|possible to get|open to (?:giving|providing|writing)|willing to (?:give|provide|write|offer)|give|provide|offer|write) (?:a |an |your )(?:\w+ )?referral\b",
        context: Some(first_person!()),
        except: None,
        suggestion: REFERRAL,
    },
    PatternSpec {
        why: "asks the host to vouch for them",
        trigger: r"\b(?:put|say|drop) in a (?:\w+ )?word\b|\bput (?:my name|me) (?:forward|in|up)\b|\bvouch for me\b|\b(?:recommend|endorse|nominate|suggest) me (?:to|for|as)\b|\bspeak (?:up )?(?:to|with) (?:\w+ ){0,3}(?:for|about|on behalf of) me\b|\bon my behalf\b|\b(?:a|any|your) referral from you\b|\b(?:mention|drop) my name\b|\bmention me to\b|\b(?:tell|talk to|speak to) (?:your|the) (?:\w+ )?(?:recruiters?|hiring managers?|boss|manager|director|hr|team lead|ceo|founders?) about me\b|\b(?:mention|tell|let|remind|ask|email|message|ping|notify)(?: it)?(?: to)? (?:your|the) (?:\w+ )?(?:recruiters?|hiring managers?|hr|human resources|talent (?:team|partners?))\b(?: \w+){0,3} (?:i|i'm|i'll|me|my)\b",
        context: None,
        except: None,
        suggestion: REFERRAL,
    },
    PatternSpec {
        why: "asks the host to pass their details on",
        trigger: r"\b(?:pass|hand|send|forward|share|circulate|give|get) (?:along |on )?my (?:resume|cv|name|details|profile|application|portfolio|information|info|contact details)(?: along| on| over)? (?:to|with)\b|\b(?:pass|hand) my (?:resume|cv|name|details|profile|application|portfolio) (?:along|on)\b|\bforward my (?:resume|cv|application|details)\b|\bget my (?:resume|cv|application|name|portfolio) (?:in front of|to|into|on|seen)\b|\b(?:keep|have|put) my (?:resume|cv) on file\b",
        context: None,
        except: None,
        suggestion: PASS_IT_ON,
    },
    PatternSpec {
        why: "asks to be introduced to the people who hire",
        trigger: r"\b(?:introduce|connect|put|link) me (?:to|with|in touch with|in contact with) (?:the |your |a |an |any |someone in |somebody in |someone on |people in )?(?:\w+ )?(?:hiring managers?|recruiters?|recruiting|talent (?:team|acquisition)|hr|human resources|people team|head of hiring|decision[- ]makers?)\b|\b(?:introduce|connect|put|link) me (?:to|with|in touch with) (?:someone|anyone|somebody|people) (?:who(?:'s| is| are)|that(?:'s| is)) (?:hiring|recruiting)\b|\bwho(?:'s| is) (?:hiring|recruiting) (?:for|on|in) (?:the|your)\b|\bwho(?:'s| is) (?:the|your) (?:\w+ )?hiring manager\b|\bwho (?:should|do|can|would) i (?:send|address|email|contact|give) (?:my |an |the )?(?:application|resume|cv)\b",
        context: None,
        except: None,
        suggestion: INSIDER_TIPS,
    },
    PatternSpec {
        why: "asks the host to reach the people who hire on their behalf",
        trigger: r"\b(?:hr|hiring (?:manager|team|lead|decisions?|panel|committee|partner)s?|whoever (?:\w+ )?hir(?:es|ing)|who(?:ever)? (?:does|makes|handles|is in charge of|runs) (?:the )?(?:hiring|recruiting|recruitment)|recruit(?:er|ers|ing team|ment team)|talent (?:team|acquisition|partners?)|human resources|(?:the )?(?:person|people|team) (?:who|that) (?:hires?|screens?|reviews?|reads?|shortlists?) (?:\w+ )?(?:applications|candidates|cvs|resumes|people))\b",
        context: Some(
            r"\b(?:introduc\w*|connect\w*|put me in touch|flag\w*|pass\w*|mention\w*|let|tell|forward\w*|send\w*|recommend\w*|refer\w*|vouch\w*|speak|talk|email\w*|message|ping|nudge|link|giv(?:e|ing)|heads-up|a word)\b.*\b(?:me|my|us|i|i'm)\b|\b(?:me|my|us|i|i'm)\b.*\b(?:introduc\w*|connect\w*|put me in touch|flag\w*|pass\w*|mention\w*|let|tell|forward\w*|send\w*|recommend\w*|refer\w*|vouch\w*|speak|talk|email\w*|message|ping|nudge|link|giv(?:e|ing)|heads-up|a word)\b",
        ),
        except: Some(r"\bhow (?:do|does|did|would|should|can|could)\b|\bwhat (?:do|does|did|would|should)\b"),
        suggestion: REFERRAL,
    },
    PatternSpec {
        why: "asks to be announced to the employer or told of jobs before others",
        trigger: r"\b(?:let|tell|inform|remind) (?:\w+ ){1,3}(?:know )?(?:that )?i(?:'m| am|'d| would|'ll| will)? (?:be )?(?:\w+ )?(?:interested|keen|applying|available|looking|open to|eager)\b|\b(?:tell me|let me know|share|hear|learn|find out|know)(?: \w+){0,4} before (?:they(?:'re| are)|it's|it is|they get|it gets) (?:\w+ )?(?:posted|advertised|listed|announced|public)\b",
        context: None,
        except: None,
        suggestion: REFERRAL,
    },
    PatternSpec {
        why: "asks for insider tips or an edge at the host's employer",
        trigger: concat!(
            r"\b(?:inside track|insider (?:tips|info|information|knowledge|advice|view)|inside (?:info|information|scoop|tips|story|line)|back ?door|(?:jump|skip|cut) (?:the )?(?:queue|line)|pull (?:some )?strings)\b|\b(?:tips|advice|tricks?|secrets?|hints|pointers|hacks?|key)(?: \w+){0,2} (?:on |for |about |to )?(?:how to )?(?:get|getting|be|being|land|landing) (?:hired|in|an interview|noticed|selected|shortlisted|past (?:the )?(?:\w+ )?(?:screen|screening|recruiters?|hr)) (?:at|by|with|into|on) (?:your|the) ",
            employer!(),
            r"|\b(?:get|getting|got) (?:past|through|around) (?:the )?(?:recruiters?|screen(?:ing|ers?)?|hr|gatekeepers?|ats|filters?|hiring managers?) (?:at|in|on|of) your\b|\b(?:ace|pass|crack|beat|get through) (?:the |your )(?:\w+'s )?(?:interviews?|hiring process|assessments?|screening|coding tests?)\b|\bhow (?:can|could|do|should|would|might) i (?:get|be|land|secure) (?:hired|in|an interview|noticed|my foot in the door)(?: \w+)? (?:at|by|with|into|on) (?:your|the) ",
            employer!(),
        ),
        context: None,
        except: None,
        suggestion: INSIDER_TIPS,
    },
    PatternSpec {
        why: "asks how to beat other candidates at the host's employer",
        trigger: r"\b(?:stand out|get noticed|beat (?:the )?other (?:candidates|applicants)|get ahead of (?:the )?other (?:candidates|applicants))(?: \w+){0,3} (?:at|to|with) your ",
        context: Some(first_person!()),
        except: None,
        suggestion: INSIDER_TIPS,
    },
    PatternSpec {
        why: "brings up their own application at the host's employer",
        trigger: concat!(
            r"\b(?:check on|look into|follow up on|push|fast[- ]track|flag|expedite|prioriti[sz]e|bump|speed up) my (?:application|resume|cv|candidacy)\b|\bmy application (?:to|at|with|for) (?:your|the)\b|\bi(?:'ve| have)? (?:recently |just |already )?(?:applied|submitted an application|sent (?:an|my) application) (?:for|to|at|with) (?:\w+ ){0,4}?(?:at |with |on |in )?(?:your|the) ",
            employer!()
        ),
        context: None,
        except: None,
        suggestion: INSIDER_TIPS,
    },
    PatternSpec {
        why: "asks to be told or remembered when a job opens",
        trigger: concat!(
            r"\b(?:let me know|tell me|inform me|notify me|alert me|ping me|contact me|email me|reach out) (?:if|when|whether|as soon as) (?:a |an |any |something |anything |one |the )?(?:\w+ )?(?:opens?|opening up|",
            job!(),
            r")\b|\bkeep me in mind\b|\bthink of me (?:for|if|when)\b|\bkeep me (?:posted|updated|informed) (?:on|about|of) (?:any |new )?",
            job!()
        ),
        context: None,
        except: None,
        suggestion: OPEN_JOBS,
    },
];

/// Job development: turning the conversation into a search the host is asked to run.
const JOB_DEVELOPMENT: &[PatternSpec] = &[
    PatternSpec {
        why: "asks the host to find them a job or an interview",
        trigger: r"\bhelp(?:ing)?(?: me)? (?:to |with )?(?:get|find|land|secure|obtain|score|line up|snag|getting|finding|landing|securing)(?: me)? (?:a |an |my |the |some |any )?(?:\w+ ){0,3}(?:jobs?|positions?|roles?|internships?|apprenticeships?|traineeships?|placements?|offers?|interviews?|openings?|gigs?|employment|work|foot in the door)\b|\bhelp(?:ing)? me (?:to )?(?:get|getting) hired\b|\b(?:get|find|land|secure|line up|set up|arrange|score|hook) me (?:up with )?(?:a |an )(?:\w+ )?(?:job|position|role|internship|interview|offer|placement|gig)\b|\b(?:can|could|would|will) you (?:please )?(?:get|set up|arrange|line up|schedule|score|book|organi[sz]e|secure) (?:me )?(?:a|an) (?:\w+ )?interview\b|\b(?:get|find|line up|set up|arrange|score|book|organi[sz]e|secure) (?:me )?(?:a |an |some |a few |a couple of |more |any )?(?:\w+ )?interviews? (?:for me|with (?:your|people|someone|anyone))\b|\b(?:take|taking|took|bring|bringing|sign|signing|hire|hiring|employ|employing) me on\b|\bi (?:really |desperately |urgently |just )?need (?:a |an )(?:new |\w+ )?(?:job|position|role|internship)\b|\b(?:give|offer) me (?:a |an )(?:\w+ )?(?:job|position|role|internship|trial|shot)\b",
        context: None,
        except: None,
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "asks the host to get them in somewhere or find them something",
        trigger: r"\bget me in (?:somewhere|anywhere|the door|there|at)\b|\bget me into (?:your|a|an|the)\b|\bfind (?:me )?(?:something|anything|a spot|a place|work|a job)(?: for me)?\b|\bdesperate (?:for|to find|to get) (?:a |some |any )?(?:work|job|position|role|employment)\b|\b(?:step|path|way|route|stepping stone|door) (?:toward|towards|to|into) (?:a |an )?(?:\w+ )?(?:job|position|role|offer|internship)\b|\bwhere (?:i should|to|should i) (?:apply|send (?:my )?applications?)\b",
        context: Some(
            r"\b(?:help me|tell me|for me|this (?:meeting|call|chat|conversation|talk)|our (?:meeting|call|chat|conversation|talk)|at your|with you|you can|you could)\b",
        ),
        except: None,
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "asks the host to pass on job leads",
        trigger: r"\bjob leads?\b|\bleads on (?:jobs|roles|openings|positions)\b",
        context: None,
        except: Some(in_general!()),
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "asks how to get a job at the host's employer",
        trigger: concat!(
            r"\b(?:how (?:can|could|do|should|would|might) i|what (?:do|would|should|can) i (?:need to )?do to|what would it take (?:for me )?to|help me) (?:get|land|find|secure|obtain) (?:a |an )?(?:\w+ )?(?:job|position|role|internship|offer) (?:at|with|on|in) (?:your|the) ",
            employer!(),
            r"|\b(?:chance|possibility|odds|way) (?:of |for )(?:me )?(?:getting )?(?:a |an )?(?:job|position|role|internship|opening|offer)(?: \w+)? (?:with|at|on|in) (?:you|your)\b|\bi(?:'d| would)? (?:love|like|want|hope|wish) to (?:work|intern|volunteer) (?:for|with|under|at|on) (?:you|your)\b|\bi(?:'d| would)? (?:love|like|want|hope|wish) to join (?:you|your)\b"
        ),
        context: None,
        except: None,
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "says the conversation is part of their job search",
        trigger: r"\b(?:i'm|i am|i've been|i have been|i was|we're|we are|currently|actively|now|still)(?: \w+)? (?P<t>(?:(?:looking|searching|hunting|applying|on the hunt|on the lookout|in the market|in search) (?:for|to)|seeking) (?:a |an |any |some |my next |my first |new |open |\d+ )?(?:\w+ ){0,2}?(?:jobs?|positions?|roles?|internships?|opportunit(?:y|ies)|openings?|placements?|employment|work)|job[- ]hunting|job[- ]searching|on the job market)\b",
        context: None,
        except: None,
        suggestion: JOB_SEARCH,
    },
    PatternSpec {
        why: "says the conversation is meant to get them a job",
        trigger: r"\b(?:goal|aim|purpose|objective|reason|hope)(?: \w+){0,3} (?:is|was) (?:to|that you (?:can|could|will|might)(?: help me)?) (?:find|get|land|secure|obtain) (?:me )?(?:a |an )?(?:\w+ )?(?:job|position|role|internship|offer|interview)\b|\b(?:chat|call|conversation|meeting|talk) (?:\w+ )?(?:leads?|turns?|leading|turning|becomes?) (?:in)?to (?:a |an )?(?:job|offer|position|role|interview|job offer|opening)\b",
        context: Some(r"\b(?:chat|call|conversation|meeting|talk|reaching out|writing|request|message)\b"),
        except: None,
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "says what they want from the conversation is a job",
        trigger: r"\b(?:need|want|hope|goal|aim|purpose|objective|looking for|expect|after)\b(?: [\w']+){0,6}? (?:from|of|for|out of) (?:this|our|the) (?:call|chat|conversation|meeting|talk)(?: [\w']+){0,3}? (?:is|would be) (?:a |an |to (?:get|find|land) (?:a |an )?)?(?:\w+ )?(?:job|position|role|offer|interview|placement|internship|apprenticeship)\b",
        context: None,
        except: None,
        suggestion: FIND_ME_A_JOB,
    },
    PatternSpec {
        why: "asks for help with their job search",
        trigger: r"\b(?:help|assist|support|advice|tips|feedback|guidance|input) (?:me )?(?:with|on|for|in) my (?:job (?:search|hunt|applications?)|applications?|job[- ]hunting|search)\b",
        context: None,
        except: None,
        suggestion: JOB_SEARCH,
    },
    PatternSpec {
        why: "asks for a personal résumé review or interview coaching",
        trigger: concat!(
            r"\b(?:review(?:ing)?|critiqu(?:e|ing)|edit(?:ing)?|fix(?:ing)?|rewrit(?:e|ing)|polish(?:ing)?|proofread(?:ing)?|improv(?:e|ing)|tweak(?:ing)?|check(?:ing)?|go(?:ing)? (?:over|through)|look(?:ing)? (?:over|through)|read(?:ing)? (?:over|through)|giv(?:e|ing) (?:me )?(?:some )?feedback on|feedback on|comment(?:ing)? on|mark(?:ing)? up|tear(?:ing)? apart|help (?:me )?(?:with|improve|fix|write|polish)) (?:a copy of )?my (?:\w+ )?(?:application|personal statement|",
            resume!(),
            r")",
        ),
        context: None,
        except: None,
        suggestion: COACHING,
    },
    PatternSpec {
        why: "asks for interview practice",
        trigger: r"\b(?:mock|practice) interviews?\b|\b(?:practi[cs]e|practi[cs]ing|rehears\w*)(?: \w+){0,3} interview(?: \w+){0,2} with you\b|\b(?:interview|practice) (?:questions|prep|preparation|practice|drills?) with me\b|\b(?:prep|prepare|coach|drill) me (?:for|on|through)\b|\b(?:practise|practice|rehearse) (?:my )?interview(?:ing)?(?: skills| answers| questions)? with you\b",
        context: Some(r"\b(?:me|my|i)\b"),
        except: None,
        suggestion: COACHING,
    },
];

/// Venting: complaints about a boss, colleagues or an employer. The host is not a personal job coach, and
/// remembers how people speak of their employers.
const VENTING_PATTERNS: &[PatternSpec] = &[
    PatternSpec {
        why: "speaks badly of their boss, colleagues or employer",
        trigger: r"(?:\b(?:my|our) (?:current |former |previous |old |last |new |direct |immediate |whole |entire )?(?:boss|bosses|manager|managers|supervisor|supervisors|employer|company|firm|job|workplace|team lead|team|coworkers?|co-workers?|colleagues?|director|department|ceo|management|leadership|organi[sz]ation|office|principal|clients?|agency|school|lab|head of department|editors?|partners|administration|superiors|higher-ups|executives|owners?|founders?|seniors)(?:'s)?|\b(?:the )?(?:people|folks|guys|ones|everyone|everybody) (?:i|we) work (?:with|for|under)|\b(?:the )?(?:\w+ )?(?:people|partners|managers?|bosses|leadership|management|administration|executives|directors?|seniors|staff|team|colleagues|coworkers|owners?|founders?|editors?|clients|culture|politics) (?:at|in|on) (?:my|our) (?:\w+ )?(?:firm|company|office|school|work|job|workplace|team|department|organi[sz]ation|hospital|agency|practice|newsroom|store|shop|restaurant|lab|employer)|\b(?:the )?(?:management|leadership|bosses|managers) (?:here|at work))\b(?: [\w']+){0,8}? (?P<t>terrible|awful|horrible|horrendous|toxic|incompetent|useless|clueless|hopeless|the worst|(?:a |an )?(?:complete |total |absolute |utter |real |huge |living )?(?:nightmare|mess|disaster|joke|circus|zoo)|hostile|miserable|unbearable|abusive|lazy|stupid|idiots?|morons?|jerks?|pathetic|unfair|unreasonable|ungrateful|ridiculous|micromanag\w*|dysfunctional|chaotic|disorgani[sz]ed|unprofessional|rude|petty|backstabb\w*|sucks?|crap|crappy|garbage|trash|rubbish|dead[- ]end|soul[- ]crushing|underpa(?:id|ys|y)|overworks?|exploits?|exploited|yells?|yelled|screams?|screamed|shouts?|belittles?|belittled|bull(?:y|ies|ied)|harass\w*|lies|lied to|(?:take|takes|took|taking|steal|steals|stole|stealing) (?:all |the |all the |my |our |every )*(?:credit|glory)|threw me under|throws (?:me|us) under|undervalues?|doesn't appreciate|don't appreciate|never appreciates?|never listens?|doesn't listen|don't listen|doesn't care|don't care|plays? favou?rites|drives me crazy|driving me crazy|insane|clowns?|fake|two-faced|snakes|arrogant|condescending|dismissive|entitled|selfish|inept|nasty|hypocrit\w*|spineless|ruthless|power[- ]hungry|gossip\w*|impossible to work with|treat (?:\w+ )?like (?:servants|slaves|idiots|kids|children|dirt|garbage)|never (?:explains?|listens?|helps?|thanks?|communicates?|answers?|responds?|supports?|appreciates?|recogni[sz]es?|credits?|bothers?)|(?:never|don't|doesn't) pull (?:their|his|her) weight|(?:doesn't|don't|never) (?:value|respect|care about|appreciate|support|listen to) (?:anyone|anybody|us|me|people|its people|their people|employees|staff|the team|our work|my work)|treat(?:s|ed)? (?:\w+ )?(?:like dirt|like garbage|like children|like a child|badly|terribly|horribly|awfully|unfairly|poorly)|bad|badly|sexist|racist|corrupt|a sinking ship|cheap|stingy|greedy|worthless|a bully|mean|cruel|vindictive|out of touch|incapable|a dinosaur|behind the times)\b",
        context: None,
        except: Some(kind_words!()),
        suggestion: VENTING,
    },
    PatternSpec {
        why: "uses harsh words about their own workplace, before or after naming it",
        trigger: concat!(my_workplace!(), r"(?: [\w',]+){0,8}? (?P<t>", harsh!(), r")\b"),
        context: None,
        except: Some(kind_words!()),
        suggestion: VENTING,
    },
    PatternSpec {
        why: "uses harsh words and then names their own workplace",
        trigger: concat!(
            r"\b(?:",
            harsh!(),
            r"|had it with|can't take|cannot take|fed up|sick of|tired of|can't stand|cannot stand|hate|hated|despise|loathe|resent|drives? me (?:crazy|mad|nuts|insane)|driving me (?:crazy|mad|nuts|insane))(?: [\w',]+){0,6}? ",
            my_workplace!()
        ),
        context: None,
        except: Some(concat!(
            kind_words!(),
            r"|\bhate to (?:ask|bother|trouble|take|impose|intrude|say|interrupt|keep)\b"
        )),
        suggestion: VENTING,
    },
    PatternSpec {
        why: "says they hate their job or the people they work with",
        trigger: r"\bi (?:really |absolutely |honestly |just |totally |simply )?(?:hate|despise|loathe|detest|can't stand|cannot stand|dread going to|resent)(?: [\w']+){0,4}? (?:boss|bosses|manager|managers|job|company|employer|coworkers?|co-workers?|colleagues?|workplace|office|team|management|leadership|work|supervisor|director|department|people i work with|place)\b|\b(?:sick of|tired of|fed up with|sick and tired of|had enough of)(?: [\w']+){0,3} (?:boss|bosses|manager|managers|job|company|employer|coworkers?|co-workers?|colleagues?|workplace|office|politics|bureaucracy|management|leadership|team|at work)\b",
        context: None,
        // "I hate to take you away from work" is politeness, not a complaint.
        except: Some(r"\bhate to (?:ask|bother|trouble|take|impose|intrude|say|interrupt|keep)\b"),
        suggestion: VENTING,
    },
    PatternSpec {
        why: "describes how badly they are treated at work",
        trigger: r"\b(?:badly|terribly|horribly|unfairly|poorly|awfully|appallingly) treated by (?:my|our|the)\b|\bi(?:'m| am| feel| felt|'ve been| have been| was| get| got)(?: so| very| completely| totally| really| constantly| always| badly| seriously| massively| chronically)? (?:underpaid|overworked|undervalued|unappreciated|exploited|mistreated|micromanaged|bullied|ignored|disrespected|taken for granted|treated (?:badly|terribly|unfairly|like dirt|like garbage|like a child)|passed over|screwed over|thrown under the bus)\b",
        context: None,
        except: None,
        suggestion: VENTING,
    },
    PatternSpec {
        why: "calls their workplace toxic or miserable",
        trigger: r"\b(?:toxic|hostile|miserable|dysfunctional|abusive|terrible|awful|horrible|soul[- ]crushing|dead[- ]end)(?: \w+)? (?:boss|manager|workplace|work environment|job|team|culture|company|employer|office|supervisor|coworkers?|colleagues?)\b|\b(?:escape|flee|get away from) (?:my|this|our) (?:\w+ )?(?:job|boss|company|manager|workplace|team|employer)\b",
        context: Some(
            r"\b(?:my|our|i'm in|i am in|i work in|i work at|i'm at|i am at|i'm stuck|i am stuck|stuck in|me)\b",
        ),
        except: None,
        suggestion: VENTING,
    },
];

/// Asking for more time than offered. Lengths named in minutes or hours are compared with the offered length
/// elsewhere (see `duration.rs`); these patterns catch requests without a number.
const OVER_TIME_PATTERNS: &[PatternSpec] = &[
    PatternSpec {
        why: "asks for open-ended time",
        trigger: r"\bas (?:long|much time|much of your time) as (?:you(?:'re| are)? ?(?:can|could|like|want|wish|have|are willing|willing|able|allow|can spare)|possible|we (?:need|want|like|can))\b|\b(?:however|whatever) (?:long|much time) (?:you (?:can|have|like|want|are willing)|it takes)\b|\b(?:no|without (?:a |any )?)(?:time limit|hard stop|end time|fixed end|set end)\b|\bopen[- ]ended (?:conversation|chat|meeting|call|session|discussion|time)\b|\bfor hours\b|\bhours (?:and hours|on end)\b|\b(?:not|never|don't|no need to|without|stop) (?:\w+ )?(?:worry(?:ing)? about|watch(?:ing)?|mind(?:ing)?|look(?:ing)? at|check(?:ing)?) the (?:time|clock)\b|\b(?:unhurried|leisurely|unlimited|endless) (?:conversation|chat|call|lunch|coffee|meeting|talk|session|time)\b|\b(?:not|never|don't|no need to|without) (?:\w+ )?(?:an? |any )?(?:end time|time limit|hard stop|fixed end|set end|cut-?off)\b|\bforget (?:about )?the (?:time|clock)\b|\buntil (?:you (?:have to|need to|must) (?:leave|go|run)|you're done|you kick me out|the end of (?:the|your) day|closing)\b|\buntil (?:i(?:'ve| have)?|we(?:'ve| have)?) (?:asked|covered|finished|gone through|got through|run out|exhausted)\b|\band then some\b",
        context: Some(meeting!()),
        except: Some(r"\b(?:reply|respond|answer|get back|write back)\b"),
        suggestion: OVER_TIME,
    },
    PatternSpec {
        why: "asks for a whole morning, afternoon or day",
        trigger: r"\bfor (?:an?|one|a full|a whole|the whole|the entire|the) (?:afternoon|morning|day|evening|weekend|workday|working day)\b|\b(?:all|the whole|the entire|most of the|most of your|your whole|your entire) (?:afternoon|morning|day|evening|weekend|lunch hour|lunch break|lunchtime|shift|workday|working day)\b|\b(?:through|throughout|into) the (?:afternoon|morning|day|evening|night|weekend)\b|\bspend (?:the|a|an|one|a full|a whole) (?:day|morning|afternoon|evening|weekend)\b",
        context: Some(
            r"\b(?:with you|together|set aside|block out|spare|free|tag along|follow you|(?:keep|have|borrow|take) you|shadow(?:ing)? you|(?:talk|chat|meet|speak)(?:ing)? (?:with|to) you|our (?:call|chat|meeting|conversation)|grab|coffee|lunch|visit)\b|\b(?:could|can|shall|might) we\b|\bwe (?:could|can|might|should)\b",
        ),
        except: None,
        suggestion: OVER_TIME,
    },
    PatternSpec {
        why: "asks to make a morning or a day of it",
        trigger: r"\bmake (?:a|an|the whole) (?:morning|afternoon|day|evening|night) of it\b|\bmake it (?:a|an|the) (?:full |whole )?(?:morning|afternoon|day|evening)\b",
        context: None,
        except: None,
        suggestion: OVER_TIME,
    },
    PatternSpec {
        why: "asks for a long conversation",
        trigger: r"\b(?:a|an|one) (?:long|lengthy|extended|leisurely|unhurried|endless|marathon|proper long)(?:,? \w+)? (?:conversation|chat|call|lunch|dinner|coffee|meeting|talk|session|catch-up|discussion)\b",
        context: None,
        except: Some(r"\bbreaks?\b|\b(?:normal|usual|common|typical|often|usually)\b"),
        suggestion: OVER_TIME,
    },
    PatternSpec {
        why: "plans to run over or asks to extend",
        trigger: r"\b(?:run|running|ran|go|going|went)(?: a bit| a little| slightly| way| much| well)? (?:over(?: time| our time| the time| the hour| the slot| schedule)?|(?:past|beyond) (?:the|our) (?:\w+ )?(?:time|hour|slot|end|limit|finish)|long|longer|overtime)\b|\bstay (?:a bit |a little )?(?:longer|late|later)\b|\bstay (?:on )?after (?:our|the|we)\b|\b(?:keep|carry on|continue) (?:chatting|talking|going|the conversation)(?: \w+)? (?:after|past|beyond|once)\b|\b(?:after|once|when) (?:the|our) (?:\w+ )?(?:half hour|hour|slot|time|minutes) (?:is|are|runs?) (?:up|over|out)\b|\ba (?:bit |little |much )?longer (?:conversation|chat|call|meeting|session|slot|coffee|talk)\b|\b(?:talk|chat|speak|meet|continue|keep talking|keep going)(?: a bit| a little| much| even)? longer\b|\blonger than (?:the |your |our |planned|scheduled|offered|booked|usual|\d+|a |half|an? )|\b(?:extend|stretch|lengthen|prolong|double)(?:ing|ed)? (?:the|our|this|that|my|your|it|a) (?:\w+ )?(?:meeting|call|chat|conversation|session|slot|interview|appointment|time together|coffee|time)?\b|\b(?:more|extra|additional) (?:time|minutes) (?:than|beyond|past|with you|together|after)\b|\b(?:a few|some|a bit of|a little|ten|five|\d+) (?:more|extra|additional) minutes\b|\b(?:a bit|a little|slightly|much|way) (?:longer|more time|extra time)\b",
        context: Some(concat!(meeting!(), r"|\b(?:we|our|us)\b")),
        except: Some(
            r"\b(?:go|going|went) over (?:my|your|our|some|a few|these|those|each|what|how|it|them|this|that|a list|the (?:questions|list|plan|agenda|details|basics|material|notes))\b",
        ),
        suggestion: OVER_TIME,
    },
];

/// What [`ACHIEVEMENTS`] looks for, in the words of [`PatternSpec::why`].
pub(crate) const LONG_SELF_DESCRIPTION_WHY: &str =
    "lists three or more achievements in one sentence, or four across the request";
/// What the comparison of named lengths looks for.
pub(crate) const NAMED_LENGTH_WHY: &str = "names a length (\"an hour\", \"90 minutes\") longer than the one offered";

/// Suggestion for a length, named in minutes or hours, over the offered one.
pub(crate) const OVER_TIME_SUGGESTION: &str = OVER_TIME;

/// Words about the meeting that a named length must appear with to count as a request for time.
pub(crate) const MEETING_CONTEXT: &str = meeting!();

/// Verbs of accomplishment, past tense.
macro_rules! achieved {
    () => {
        r"(?:led|managed|built|founded|co-founded|launched|created|designed|developed|delivered|grew|increased|boosted|doubled|tripled|reduced|cut|saved|won|earned|achieved|exceeded|spearheaded|oversaw|directed|pioneered|published|authored|headed|ran|scaled|mentored|trained|generated|secured|negotiated|streamlined|implemented|organi[sz]ed|received|completed|graduated|ranked|topped|closed|raised|shipped|architected|transformed|turned around|outperformed|surpassed|invented|patented|coached|supervised|hired|expanded|revamped|overhauled|drove|championed|interned)"
    };
}
/// Ways of being singled out, after "I was" or "and was".
macro_rules! recognised {
    () => {
        r"(?:promoted|awarded|named|recogni[sz]ed|selected|chosen|honou?red|voted|ranked|nominated|featured|invited to speak)"
    };
}

/// One achievement stated in the first person, or joined to one ("..., trained thirty people and was named
/// employee of the year"); several of them make a long self-description.
pub(crate) const ACHIEVEMENTS: &str = concat!(
    r"\bi(?:'ve| have| had)? (?:also |successfully |personally |single-handedly |recently |once )?",
    achieved!(),
    r"\b|(?:,|\band) (?:also |then )?",
    achieved!(),
    r"\b|(?:\bi|,|\band) (?:was|have been|'ve been|got) (?:\w+ )?",
    recognised!(),
    r"\b|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\+? years? of (?:\w+ )?(?:experience|expertise)\b|\b(?:summa|magna) cum laude\b|\bwith (?:first[- ]class )?(?:honou?rs|distinction)\b|\bdean'?s list\b|\b(?:4\.0|perfect) gpa\b|\baward[- ]winning\b|\btop (?:\d+ ?%|performer|salesperson|of my class|in my class|student)\b|\bvaledictorian\b|\b(?:to my name|under my belt)\b|\b(?:proven|strong|impressive|excellent) (?:track )?record\b|\b(?:\d+|two|three|four|five|six|several|multiple|numerous) (?:\w+ )?(?:awards|prizes|patents|publications|promotions|books|papers|grants)\b|\b(?:by|of) (?:over |more than |nearly |almost )?\d+(?:\.\d+)? ?(?:%|percent)\b"
);
