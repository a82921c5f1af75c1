"""Tests of the SIF connector: files, samples, safety, the CLI and a loopback SIF 3 server."""
