"""Tests of the connectors (the OneRoster CSV reader and connector)."""
