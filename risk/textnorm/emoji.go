package textnorm

// emoji names the emoji that carry meaning for the risk screen. The names
// are language-neutral tokens; the concept data of each language lists
// them (risk/data/common/concepts.tsv). Skull and laughing faces read as
// laughter or hyperbole ("emo_laugh"), never as death.
var emoji = map[rune]string{
	'🔪': "emo_knife", '🗡': "emo_knife", '⚔': "emo_knife",
	'🔫': "emo_gun", '💣': "emo_bomb",
	'💊': "emo_pills", '💉': "emo_needle",
	'🩸': "emo_blood", '🩹': "emo_bandage",
	'🆘': "emo_sos", '🚨': "emo_sos", '⚠': "emo_sos",
	'😭': "emo_cry", '😢': "emo_cry", '😿': "emo_cry", '💔': "emo_sad", '😞': "emo_sad", '😔': "emo_sad", '🥺': "emo_sad",
	'😰': "emo_fear", '😨': "emo_fear", '😱': "emo_fear", '😧': "emo_fear", '😖': "emo_fear", '🫣': "emo_fear",
	'💀': "emo_laugh", '☠': "emo_laugh", '😂': "emo_laugh", '🤣': "emo_laugh", '😆': "emo_laugh", '😹': "emo_laugh", '🙃': "emo_laugh",
	'🪦': "emo_grave", '⚰': "emo_grave",
	'🪢': "emo_rope", '⛓': "emo_chain", '🔒': "emo_lock",
	'🏠': "emo_home", '🏚': "emo_home", '🚪': "emo_door",
	'👊': "emo_punch", '🤕': "emo_hurt", '🤢': "emo_sick", '🥴': "emo_dizzy", '😵': "emo_dizzy",
	'📸': "emo_camera", '📷': "emo_camera", '🍆': "emo_sex", '🍑': "emo_sex", '💰': "emo_money", '💵': "emo_money", '💸': "emo_money",
	'🚗': "emo_car", '🏃': "emo_run",
}
