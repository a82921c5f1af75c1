"""The rules' fixtures: today is pinned for the whole run by the root conftest (2026-11-28)."""
