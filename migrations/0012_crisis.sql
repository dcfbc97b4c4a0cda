-- Crisis mode (docs/design.md, section 9): a staff release returns a youth
-- in crisis mode to the menu. The turn reads when the chat was last
-- released; an idle claim returning to the queue does not set it, so the
-- bot's crisis replies go on after a forgotten claim.
ALTER TABLE conversations ADD COLUMN released_at timestamptz;
