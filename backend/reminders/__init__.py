"""Runner reminders, the next-morning check-in and the private calendar feed."""
