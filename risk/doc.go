package risk

// Design notes (why the engine is built the way it is).
//
// Normalisation (package risk/textnorm) runs before anything else and uses
// no data files, so the classifier's features stay fixed when rule data
// changes. Hidden characters (format characters, NUL, invalid UTF-8) are
// removed rather than turned into spaces, because their purpose inside a
// word is to split it. The look-alike table is a hand-written subset of
// the UTS #39 confusables skeleton: golang.org/x/text ships no confusables
// data, and the full table is mostly scripts that cannot disguise
// English, Spanish or French words. Digits and symbols are read as letters
// only inside tokens that mix them with letters, so numbers, times and
// zip codes are left alone. Stretched letters are cut to two, and the
// one-letter form is kept as an alternative reading.
//
// Slang, abbreviations and contractions are per language data
// (risk/data/<lang>/slang.tsv) and applied after the language is decided,
// because the same short form means different things ("t" is "te" in
// French, "2" is "to" in English).
//
// Rules combine word classes (concepts) within short windows rather than
// matching fixed phrases: a disclosure is what someone does to the sender
// (an agent, a harm verb, the object "me"), in any tense or person the
// prefix patterns cover. Word order carries who does what to whom ("he
// hits me" against "i hit the gym"); negation is read back across
// pronouns and auxiliaries only, never across a clause break.
// Hyperbole exceptions are attached to one rule and cancel only a match in
// the same clause, so they can never hide a disclosure made elsewhere in
// the message.
//
// Typo tolerance uses a symmetric-delete index built once, so a lookup is
// a few dozen map reads instead of a scan of the lexicon.
