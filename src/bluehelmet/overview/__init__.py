"""The mission overview."""
