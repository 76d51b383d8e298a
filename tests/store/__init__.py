"""Tests of the store backends (bilat.store)."""
