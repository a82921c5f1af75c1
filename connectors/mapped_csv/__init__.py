"""Plain CSV exports (SDS, Clever, custom) read through a column mapping; presets are data."""
