package risk

// Design notes: why the engine is built the way it is.
//
// Normalisation (package risk/textnorm) runs first and uses no data files.
// Hidden characters (format characters such as zero-width spaces, joiners,
// soft hyphens and bidi marks; NUL; invalid UTF-8) are removed rather than
// turned into spaces, because their only purpose inside a word is to split
// it. The look-alike table is a hand-written subset of the UTS #39
// confusables skeleton: golang.org/x/text ships no confusables data, the
// full table is mostly scripts that cannot disguise English, Spanish or
// French words, and its prototypes are not always lower-case ASCII.
// Digits and symbols are read as letters only inside tokens that mix them
// with letters, so numbers, times and zip codes are left alone. Stretched
// letters are cut to two and the one-letter key is kept, so "tttook" and
// "pleeease" are found. Emoji that carry meaning become tokens
// ("emo_knife"); skull and laughing faces read as laughter, never death.
//
// Slang, abbreviations and contractions are per-language data
// (risk/data/<lang>/slang.tsv), applied after the language is decided,
// because the same short form means different things ("t" is "te" in
// French, "2" is "to" in English). Dropped final g ("punchin") and plural
// s are tried as alternative readings.
//
// Language: marker words per language (markers.tsv). English mixed with
// real Spanish reads as Spanish. The rules of the message's language run,
// and those of any language it clearly mixes in; with no marker at all,
// or markers weighing less than 2 ("allergic reaction no epipen" scores
// 0.5 for French), every language's rules run (short texts such as
// "kms"), and the decision's language is that of the rule that fired.
//
// Rules combine word classes (concepts) within short windows rather than
// matching fixed phrases: a disclosure is what someone does to the sender
// (an agent, a harm, the object "me"), in any tense the prefix patterns
// cover. Word order carries who does what to whom ("he hits me" against
// "i hit the gym"); negation is read back across pronouns, clitics and
// auxiliaries only, never across a clause break. Hyperbole, games, news,
// other people's stories and lessons at school are exceptions attached to
// one rule; an exception cancels only a match of that rule within its own
// window, so "lol my dad will kill me, he actually hit me" is still
// danger through the harm rule. Hyperbole never cancels abuse, weapons,
// intruders or exploitation: young people wrap real disclosures in "lol".
//
// Typo tolerance uses a symmetric-delete index built once, so a lookup is
// a few dozen map reads and allocates nothing. The first letter must
// match, and a token that is itself a dictionary word (Debian word lists,
// stored as sorted hashes) is never read as a typo: "hunting" is not
// "hurting", "prisoner" is not "poisoned".
//
// The classifier (package risk/model) is a linear model over hashed word
// unigrams, bigrams and character 3- to 5-grams plus the engine's concepts
// and neighbouring concept pairs (concept names are shared across
// languages, so what it learns in one carries to the others). It is
// trained single-threaded in a fixed order by one command and quantised to
// int8; a test retrains and compares bytes. Either layer may escalate:
// the rules' level stands, and the classifier alone gives danger only at
// a probability of 0.55 or more and concern when danger and concern
// together reach 0.7. The options (10 epochs, rate 1.0) and the danger
// threshold were chosen by leaving each corpus author out in turn
// (risk/cmd/tune -loao: train on the others, score that author), the
// closest the corpus gets to the test split's unseen writer. At 0.55 as
// at 0.6, 11 of the 22 held-out author-languages stay at 4% false alarms
// or less, while held-out recall rises from 97.3% to 97.6% (English, the
// weakest, from 96.5% to 97.1%; the newest author, French h, from 95.9%
// to 96.4% at the same 4.4%). Above 6% are authors e and f in every
// language, who wrote near-misses very close to disclosures (no threshold
// brings most of them under 10%), and g in English (7.8%): the pooled
// rate is not the guide. The
// classifier lowers a rule's danger only to concern, only when it gives
// danger less than 0.05, and never a medical emergency (911 first is
// right whoever is in danger) or sexual exploitation (held out, the veto
// there softened 9 disclosures for 2 false alarms). When an exception
// cancelled a danger rule and no rule fired (Decision.Excused: "my
// brother hits me with pillows lol"), the classifier alone needs 0.7 for
// danger; when the rules alone say concern and the classifier gives
// danger and concern together less than 0.05, the answer is none.
//
// Decisions carry the reasons: each rule matched with its concepts and
// the normalised words, and when the classifier escalated, its strongest
// features. Screen recovers from any panic and reads at most 4 KB.
