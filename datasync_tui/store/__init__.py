"""The local store: peewee models over SQLite, the saved connection and its secrets."""
