"""Tests of the OneRoster REST API connector against a real loopback server."""
