package main

import (
	"strconv"

	"tipline"
	"tipline/config"
	"tipline/staff"
)

// takeoverSettings gives the dashboard the staffing hours and the takeover
// timeouts, and registers the secondary page destinations a re-page of an
// unclaimed high-risk chat goes to (when their channel is wired; otherwise
// re-pages go to the primary destinations). Run after wireChannels.
func takeoverSettings(a *app, cfg *config.Config) staff.Takeover {
	t := staff.Takeover{Hours: cfg.StaffHours, ClaimIdle: cfg.ClaimIdle, Repage: cfg.HighRiskRepage}
	if _, ok := a.providers[tipline.ChannelTelegram]; ok && cfg.StaffAlertSecondaryTelegramChatID != "" {
		t.RepageTargets = append(t.RepageTargets, "telegram-secondary")
		a.worker.Pages["telegram-secondary"] = cfg.StaffAlertSecondaryTelegramChatID
	}
	if _, ok := a.providers[tipline.ChannelSMS]; ok {
		for i, n := range cfg.StaffAlertSecondarySMS {
			target := "sms-secondary:" + strconv.Itoa(i)
			t.RepageTargets = append(t.RepageTargets, target)
			a.worker.Pages[target] = n
		}
	}
	return t
}
