"""Tests of the output writers (bilat.output) and their commands."""
