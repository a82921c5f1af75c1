"""The daemon: `datasync-tui --daemon` runs the daily sync as a service.

`serve` (its lock, logging and signals), `loop` (the schedule, catch-up and retries), `child`
(each sync in a child process), `schedule` (local wall-clock times), `notify` and `alerts`
(what it announces), `log` (the rotating log), `service` (a systemd unit), `settings`.
"""
