// Package correlate relates a new sighting to open cases and recent
// sightings: it scores each candidate by time, place (great-circle
// distance, or the words of the place when there are no coordinates) and
// description, and says why in words staff can check ("0.4 km and 20 min
// from tip X; both mention a purple backpack").
//
// A description is read on the risk screen's normalisation
// (risk/textnorm) and matched against terms for clothing, colours, hair,
// age, the child's sex, an adult with the child and vehicles in English,
// Spanish and French (data/terms.tsv). A colour is paired with the item it
// describes ("a purple backpack", "mochila morada", "sac à dos violet"), so
// a red coat and a blue backpack are not a blue coat and a red backpack.
// What two descriptions share counts for a match, what they contradict
// (a girl and a boy, 8 and 15 years old, a red and a blue backpack)
// against it.
//
// The package is pure: no database, no clock. Staff confirm every
// suggestion; nothing here merges anything.
package correlate
