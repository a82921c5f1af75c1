"""How each topic is named: in the terminal's lines (the CLI, the daemon's log) and on screen."""

from __future__ import annotations

# Plain-text lines: `status`, `sync`, `check` and the daemon's log.
LINE_LABELS: dict[str, str] = {
    "orgs": "Orgs",
    "academicSessions": "Terms/sessions",
    "courses": "Courses",
    "classes": "Classes",
    "users": "Users",
    "roles": "User roles",
    "enrollments": "Enrollments",
    "demographics": "Demographics",
}

# The TUI's tiles, tables and dialogs (shorter: they sit in columns).
SCREEN_LABELS: dict[str, str] = {
    "orgs": "Orgs",
    "academicSessions": "Terms",
    "courses": "Courses",
    "classes": "Classes",
    "users": "Users",
    "roles": "Roles",
    "enrollments": "Enrollments",
    "demographics": "Demographics",
}
