"""bilat's tests, laid out like the package: one directory per layer."""
