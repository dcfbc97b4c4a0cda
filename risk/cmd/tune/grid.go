package main

import "tipline/risk/model"

func optionGrid() []model.Options {
	d := model.Default
	return []model.Options{
		{Epochs: 20, Rate: 0.5, L2: d.L2, DangerBoost: 1, Seed: d.Seed},
		{Epochs: 10, Rate: 0.5, L2: d.L2, DangerBoost: 1.5, Seed: d.Seed},
		{Epochs: 10, Rate: 1.0, L2: d.L2, DangerBoost: 1, Seed: d.Seed},
		{Epochs: 10, Rate: 0.5, L2: 1e-6, DangerBoost: 1, Seed: d.Seed},
	}
}
