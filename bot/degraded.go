package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/client_golang/prometheus"

	"tipline"
	"tipline/spool"
)

// Degraded answers messages while PostgreSQL is unreachable
// (docs/design.md rule 16): the webhooks call Answer when Handle failed.
// A danger hit is answered in the webhook's own HTTP response and the
// message is kept in the spool with a mark that the answer went out; any
// other message is kept and answered 503 so that the provider retries as
// well. Run replays the spool through the turn when the database returns.
type Degraded struct {
	bot     *Bot
	spool   *spool.Spool // nil: SPOOL_DIR unset, nothing is kept
	metrics *degradedMetrics

	mu    sync.Mutex
	retry map[string]failedReplay // spool entries whose replay failed, by name
}

// failedReplay paces the next replay of an entry whose replay failed for
// a reason other than the database being away.
type failedReplay struct {
	next     time.Time
	attempts int
}

// NewDegraded builds the degraded path of b over s (nil: nothing kept, the
// losses are counted) and registers its metrics with reg (when not nil).
func NewDegraded(b *Bot, s *spool.Spool, reg prometheus.Registerer) *Degraded {
	return &Degraded{bot: b, spool: s, metrics: newDegradedMetrics(reg, s), retry: map[string]failedReplay{}}
}

// Answer is called with a message Handle failed on. When err says the
// database is unreachable, it runs the pure danger screen
// (flows.Engine.DangerAnswer) and keeps the message in the spool; it
// returns the danger answer, to be given in the HTTP response itself, or
// nothing (the webhook then answers 503). For any other error it returns
// nothing and keeps nothing: the provider's retry is the remedy.
func (d *Degraded) Answer(_ context.Context, in tipline.Inbound, err error) []tipline.Reply {
	if !Unreachable(err) {
		return nil
	}
	in = in.Clean()
	reply, _, hit := d.bot.Engine().DangerAnswer(in.Text, in.Channel, in.Country, in.LangHint)
	e := spool.Entry{Inbound: in, SpooledAt: d.bot.clock.Now()}
	if hit {
		e.Inline = &reply
		d.metrics.answered.WithLabelValues(string(in.Channel)).Inc()
	}
	_, added, perr := d.spool.Put(e)
	if perr != nil {
		reason := "not_kept"
		if hit {
			reason = "answered_not_kept"
		}
		d.metrics.lost.WithLabelValues(reason).Inc()
		slog.Error("database unreachable and the message could not be kept", "channel", in.Channel,
			"answered_inline", hit, "err", perr)
	} else if added { // a provider's retry of a kept message is not counted again
		d.metrics.kept.WithLabelValues(string(in.Channel)).Inc()
		slog.Warn("database unreachable: message kept for replay", "channel", in.Channel, "answered_inline", hit)
	}
	if hit {
		return []tipline.Reply{reply}
	}
	return nil
}

// Unreachable reports whether err says the database could not be reached
// or went away (refused or failed connections, a server shutting down or
// starting up, a connection lost mid-turn), as opposed to an error of the
// turn itself. A context's end is not: the client has gone.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "57P01", "57P02", "57P03": // admin or crash shutdown, cannot connect now
			return true
		}
		return len(pe.Code) == 5 && pe.Code[:2] == "08" // connection exception
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return true
	}
	return pgconn.SafeToRetry(err) && !errors.Is(err, context.DeadlineExceeded)
}

// degradedMetrics count what the degraded path did.
type degradedMetrics struct {
	answered *prometheus.CounterVec
	kept     *prometheus.CounterVec
	lost     *prometheus.CounterVec
	replayed *prometheus.CounterVec
}

func newDegradedMetrics(reg prometheus.Registerer, s *spool.Spool) *degradedMetrics {
	m := &degradedMetrics{
		answered: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_degraded_answers_total",
			Help: "Danger answers given in the webhook response while the database was unreachable, by channel."},
			[]string{"channel"}),
		kept: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_spool_kept_total",
			Help: "Messages kept in the spool while the database was unreachable, by channel (a provider's retry of a kept message not counted again)."}, []string{"channel"}),
		lost: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_spool_lost_total",
			Help: "Messages the spool could not keep (disabled, full, disk error) while the database was unreachable: " +
				"answered_not_kept (a danger answer went out inline) or not_kept (answered 503; the provider's retry is all that is left)."},
			[]string{"reason"}),
		replayed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_spool_replayed_total",
			Help: "Spooled messages replayed through the turn, by result (handled, error)."}, []string{"result"}),
	}
	for _, r := range []string{"answered_not_kept", "not_kept"} {
		m.lost.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.answered, m.kept, m.lost, m.replayed)
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tipline_spool_bytes",
			Help: "Bytes held in the spool, waiting for replay."}, func() float64 {
			if s == nil {
				return 0
			}
			return float64(s.Size())
		}))
	}
	return m
}
