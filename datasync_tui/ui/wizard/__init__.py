"""The setup wizard's steps: Choose, Options, Check, Confirm (one module each)."""
