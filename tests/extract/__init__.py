"""Tests of the extraction stages (bilat.extract)."""
