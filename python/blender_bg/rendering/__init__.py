"""Renders made the same way every time, for render steps and a test's snapshots."""
