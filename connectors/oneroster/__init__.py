"""OneRoster: CSV bundles (read through SQLite's CSV reader) and the REST API (JSON)."""
