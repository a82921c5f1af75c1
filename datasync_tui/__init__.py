"""DataSync TUI: get a district's SIS rostering data into shape for Google Classroom."""

__version__ = "0.1.0"
