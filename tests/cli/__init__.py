"""Tests of the command line (bilat.cli)."""
