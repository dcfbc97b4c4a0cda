package staff

// cannedReply is a ready answer to tipsters for surges, in every language
// the bot speaks. A test checks that each has all three.
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
		"es": "Gracias por su reporte. Nuestro equipo lo recibió y lo está revisando ahora.",
		"fr": "Merci pour votre signalement. Notre équipe l'a reçu et l'examine en ce moment.",
	}},
	{ID: "more", Label: "Ask for more details", Text: map[string]string{
		"en": "Thank you. Can you tell us more: the exact time and place, and what the child was wearing?",
		"es": "Gracias. ¿Puede darnos más detalles: la hora y el lugar exactos, y qué ropa llevaba el niño o la niña?",
		"fr": "Merci. Pouvez-vous nous en dire plus : l'heure et le lieu exacts, et ce que portait l'enfant ?",
	}},
	{ID: "police", Label: "Passed to law enforcement", Text: map[string]string{
		"en": "Thank you. We have passed your information to law enforcement. If you see the child again, call 911 first.",
		"es": "Gracias. Hemos enviado su información a las autoridades. Si vuelve a ver al niño o la niña, llame primero al 911.",
		"fr": "Merci. Nous avons transmis vos informations aux forces de l'ordre. Si vous revoyez l'enfant, appelez d'abord le 911.",
	}},
	{ID: "surge", Label: "Many reports right now", Text: map[string]string{
		"en": "Thank you. We are receiving many reports and read every one. If the child is in danger now, call 911.",
		"es": "Gracias. Estamos recibiendo muchos reportes y leemos cada uno. Si el niño o la niña está en peligro ahora, llame al 911.",
		"fr": "Merci. Nous recevons beaucoup de signalements et les lisons tous. Si l'enfant est en danger maintenant, appelez le 911.",
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
