"""Runs brought in from watch and app files (GPX, TCX, FIT, a Strava export)."""
