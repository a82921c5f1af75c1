"""Benchmark: a full and an unchanged sync of a generated district against sqlite3 and Python."""
