package bot_test

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/store"
	"tipline/twilio"
)

func statusHandler(pool *pgxpool.Pool) func(context.Context, twilio.Status) error {
	return func(ctx context.Context, st twilio.Status) error {
		code := ""
		if st.ErrorCode != 0 {
			code = strconv.Itoa(st.ErrorCode)
		}
		_, err := store.UpdateDeliveryStatus(ctx, pool, st.MessageSid, string(st.Status), code)
		return err
	}
}

func parseSMS(form url.Values) (tipline.Inbound, error) {
	return twilio.ParseInbound(form, time.Now())
}
