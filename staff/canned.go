package staff

// cannedReply is a ready answer to tipsters for surges, in every language
// the bot speaks, in the catalogue's form of address (Spanish tú, French
// tu: the reply's header uses it too). Tests check that each has all three
// and fits 3 SMS segments with the header.
type cannedReply struct {
	ID    string
	Label string
	Text  map[string]string // en, es, fr
}

// cannedLangs are the languages every canned reply must have.
var cannedLangs = []string{"en", "es", "fr"}

var cannedReplies = []cannedReply{
	{ID: "thanks", Label: "Thank you, received", Text: map[string]string{
		"en": "Thank you for your report. Our team has received it and is reviewing it now.",
		"es": "Gracias por tu reporte. Nuestro equipo lo recibió y lo está revisando ahora.",
		"fr": "Merci pour ton signalement. Notre équipe l'a reçu et l'examine en ce moment.",
	}},
	{ID: "more", Label: "Ask for more details", Text: map[string]string{
		"en": "Thank you. Can you tell us more: the exact time and place, and what the child was wearing?",
		"es": "Gracias. ¿Puedes darnos más detalles: la hora y el lugar exactos, y qué ropa llevaba el niño o la niña?",
		"fr": "Merci. Peux-tu nous en dire plus : l'heure et le lieu exacts, et ce que portait l'enfant ?",
	}},
	{ID: "police", Label: "Passed to law enforcement", Text: map[string]string{
		"en": "Thank you. We have passed your information to law enforcement. If you see the child again, call 911 first.",
		"es": "Gracias. Pasamos tu información a la policía. Si vuelves a ver al niño o la niña, llama primero al 911.",
		"fr": "Merci. Nous avons transmis tes informations aux forces de l'ordre. Si tu revois l'enfant, appelle d'abord le 911.",
	}},
	{ID: "surge", Label: "Many reports right now", Text: map[string]string{
		"en": "Thank you. We are receiving many reports and read every one. If the child is in danger now, call 911.",
		"es": "Gracias. Recibimos muchos reportes y leemos todos. Si el niño o la niña está en peligro ya, llama al 911.",
		"fr": "Merci. Nous recevons beaucoup de signalements et les lisons tous. Si l'enfant est en danger maintenant, appelle le 911.",
	}},
}

// cannedText returns a canned reply in lang (English when unknown).
func cannedText(id, lang string) (string, bool) {
	for _, c := range cannedReplies {
		if c.ID == id {
			if t, ok := c.Text[lang]; ok {
				return t, true
			}
			return c.Text["en"], true
		}
	}
	return "", false
}
