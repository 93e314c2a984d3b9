"""Progress analytics shared by the runner's own view and their practitioner's."""
