package main

import (
	"context"
	"time"

	"tipline/config"
	"tipline/schedule"
)

// sightingsJanitorEvery is how often abandoned drafts are swept into
// incomplete tips and provider copies of photos are deleted.
const sightingsJanitorEvery = 30 * time.Second

// wireSightings schedules the sightings janitor: drafts silent for longer
// than FLOW_TIMEOUT become incomplete tips, and the provider copies of
// attachments (Twilio MMS) are deleted once ours is stored. Attachments
// themselves are fetched by the channels' providers (wireChannels).
func wireSightings(a *app, cfg *config.Config) error {
	a.jobs = append(a.jobs, schedule.Job{Name: "sightings-janitor", Every: sightingsJanitorEvery,
		Run: func(ctx context.Context, _ time.Time) error {
			return a.bot.SightingsJanitorOnce(ctx, cfg.FlowTimeout)
		}})
	return nil
}
