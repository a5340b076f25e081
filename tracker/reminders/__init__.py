"""Reminders: rules as data, the per-request plan the scan follows, the outbox and its SMTP delivery, the
morning digests and the calendar feeds. `scan.run_scan` is the one entry point for the scheduler and CLI."""
