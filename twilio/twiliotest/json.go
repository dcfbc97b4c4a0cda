package twiliotest

import (
	"strconv"
	"time"
)

// twilioDate is the RFC 2822 form Twilio uses for dates.
const twilioDate = "Mon, 02 Jan 2006 15:04:05 -0700"

// messageJSON renders m as Twilio's Message resource.
func (s *Server) messageJSON(m Message) map[string]any {
	uri := s.accountPath() + "/Messages/" + m.Sid + ".json"
	return map[string]any{
		"account_sid":           s.AccountSID,
		"api_version":           "2010-04-01",
		"body":                  m.Body,
		"date_created":          date(m.DateCreated),
		"date_sent":             date(m.DateSent),
		"date_updated":          date(m.DateCreated),
		"direction":             m.Direction,
		"error_code":            nullInt(m.ErrorCode),
		"error_message":         nil,
		"from":                  nullString(m.From),
		"messaging_service_sid": nullString(m.MessagingServiceSid),
		"num_media":             "0",
		"num_segments":          "1",
		"price":                 nil,
		"price_unit":            "USD",
		"sid":                   m.Sid,
		"status":                m.Status,
		"subresource_uris":      map[string]string{"media": s.accountPath() + "/Messages/" + m.Sid + "/Media.json"},
		"to":                    m.To,
		"uri":                   uri,
	}
}

func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(twilioDate)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// mediaJSON renders a media item as Twilio's Media resource.
func (s *Server) mediaJSON(md *media) map[string]any {
	return map[string]any{
		"account_sid":  s.AccountSID,
		"content_type": md.contentType,
		"date_created": date(md.created),
		"date_updated": date(md.created),
		"parent_sid":   md.messageSid,
		"sid":          md.sid,
		"uri":          s.accountPath() + "/Messages/" + md.messageSid + "/Media/" + md.sid + ".json",
		"size":         strconv.Itoa(len(md.data)),
	}
}
