"""Batch requests: one request drafted for several agencies at once, shown and acted on side by side."""
