// Package telegram is Tipline's Telegram channel: it parses Bot API updates
// into tipline.Inbound values, authenticates the webhook, renders replies as
// keyboards, and talks to the Bot API (sending, files, webhook management and
// a long-polling loop).
//
// The parts:
//
//   - Parse and ParseUpdate are the single parser of update JSON, used by
//     both the Webhook handler and the Poller. They keep no user names,
//     usernames or other profile data: only the chat id, the message id, the
//     content and the language hint. ParseUpdate also reports my_chat_member
//     changes of a private chat as KindBlocked (the user blocked the bot:
//     stop sending, record a permanent failure) or KindUnblocked; Parse
//     returns ok=false for them. Webhook and Poller pass them to OnMember.
//   - Webhook serves POST /webhooks/telegram: it checks the
//     X-Telegram-Bot-Api-Secret-Token header in constant time before it reads
//     the body, then parses and hands the message to a callback.
//   - Render turns a tipline.Reply into the text and reply_markup Telegram
//     shows: inline buttons for options, a share-location button when the
//     flow asks for a place.
//   - Client makes Bot API calls through github.com/go-telegram-bot-api/v5
//     (its types and request building) to TELEGRAM_API_URL, each with a
//     timeout and the caller's context. Failures are *SendError values,
//     classified permanent or temporary, with the token redacted.
//   - Poller is the long-polling loop for dev and single-machine use. It
//     advances the getUpdates offset only after the handler succeeded, holds
//     a cross-instance lock while polling, and never polls a bot that has a
//     webhook set: getUpdates' 409 Conflict is logged (ErrWebhookSet) and
//     asked again later. Nothing is checked before it starts, so Telegram
//     being down delays polling but never stops the service.
//   - Setup (admin.go) checks the token (getMe) and registers the webhook
//     in the background, retrying with growing delays until it succeeds.
//   - Provider is the channel's side of the core's contract
//     (tipline.Provider): sends within Telegram's limits, classifies a failed
//     send (403: blocked; 429: retry after), deletes chat messages on DELETE
//     and downloads attachments. cmd wires it; no core package imports this one.
//
// Why a wrapper around go-telegram-bot-api rather than the library as it is
// (docs/design.md, rule 9): its types and request building are used, but
// its update loop advances the offset as soon as updates arrive (a crash
// before the turn committed would lose them), its file URLs are fixed to
// api.telegram.org (TELEGRAM_API_URL must reach a test server too), its
// calls take no context and so no per-call timeout, and its logger can
// print request URLs, which hold the token: the logger is silenced and the
// loop and file downloads are ours.
//
// Nothing in this package logs message text, chat ids or the bot token.
// Package telegramtest provides a fake Bot API for tests.
package telegram
