package risk

// applyModel lets the classifier escalate d. Stub until the model lands.
func (e *engine) applyModel(d *Decision, text string) {}
