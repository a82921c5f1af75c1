"""From findings to fixes: GAM batch files, Classroom-ready CSVs and proposed email addresses.

Textual-free; the CLI (`datasync-tui fix …`) and the Validations page call `run`.
"""
