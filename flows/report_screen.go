package flows

import "tipline/risk"

// datumSteps are the report steps whose answer is a datum (a case number,
// a time, a place, a yes or no, contact details), not words about the
// child: "Bus depot, 5th Ave and Main St" or "Sam, evenings only".
var datumSteps = map[string]bool{
	stepCase: true, stepCasePick: true, stepWhen: true, stepPlace: true,
	stepFollow: true, stepContact: true, stepSummary: true, stepEdit: true,
}

// reportDatum drops an outcome that only the classifier reached on the
// answer to a datum step of a report: its letter groups read street names
// and times as disclosures ("Main St" as a belt), which marked tips urgent
// and paged staff for nothing. A rule's match (a weapon, "he is dragging
// her into the van") counts on any step, as does anything the tipster
// writes outside a report or to describe what they saw.
func (t *turn) reportDatum(d risk.Decision) risk.Decision {
	if d.Level == risk.None || t.st.Flow != FlowReport || !datumSteps[t.st.Step] || byRule(d) {
		return d
	}
	return risk.Decision{Level: risk.None, Lang: d.Lang, Score: d.Score}
}

// byRule reports whether a rule (not the classifier alone) reached d.
func byRule(d risk.Decision) bool {
	for _, r := range d.Reasons {
		if r.Layer == "rule" {
			return true
		}
	}
	return false
}
