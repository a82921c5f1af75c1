"""What each page shows and does, computed without Textual (one module or package a page).

The screens in `datasync_tui/ui/` draw these; the CLI prints some of them too.
"""
