package risk

// Screen reads one message and decides its level, categories and reasons.
// Placeholder until the engine lands: it sees nothing.
func Screen(text string) Decision {
	return Decision{}
}
