"""The add-on's own unittest and pytest files, run inside the session."""
