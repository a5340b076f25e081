"""The scheduler process (`tracker scheduler`): APScheduler with a registry of jobs under explicit ids.
Never started by the web process."""
