package tipline

// ConversationKind says whose conversation it is, once the flows know.
type ConversationKind string

// The conversation kinds. A youth's replies expire (docs/design.md,
// rule 4); so do those of a conversation whose kind is not known yet.
const (
	ConversationUnknown ConversationKind = ""
	ConversationYouth   ConversationKind = "youth"
	ConversationTipster ConversationKind = "tipster"
)

// MessageKind says who wrote a message: the person (inbound), or, for an
// outbound message, the bot, a staff member, or the page that alerts staff.
type MessageKind string

// The message kinds.
const (
	MessageUser  MessageKind = "user"  // inbound, from the person
	MessageBot   MessageKind = "bot"   // a reply the flows wrote
	MessageStaff MessageKind = "staff" // a staff member's message to the person
	MessagePage  MessageKind = "page"  // an alert to a staff destination
)
