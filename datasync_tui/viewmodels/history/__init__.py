"""The History page's reads without Textual: the syncs, a sync's changes paged, their words."""
