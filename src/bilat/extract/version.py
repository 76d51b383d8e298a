"""The extractor's version: what a stored document's events were computed with.

A re-run of ``bilat extract`` skips a document only when its bytes and this
version are both unchanged, so the version must change whenever extraction
could: it is the package version plus a digest of the extraction modules and
the lexicon data files they load. Computed once per process.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata, resources
from pathlib import Path

_EXTRACT_DIR = Path(__file__).resolve().parent


@cache
def extractor_version() -> str:
    """``"<package version>+<16 hex digits>"``, e.g. ``"0.1.0+3f2a9c0d1e4b5a67"``."""
    digest = hashlib.sha256()
    modules = sorted(_EXTRACT_DIR.glob("*.py"))
    lexicons = resources.files("bilat.data").iterdir()
    data = sorted((entry for entry in lexicons if entry.name.endswith(".toml")), key=str)
    for name, content in [
        *((f"extract/{path.name}", path.read_bytes()) for path in modules),
        *((f"data/{entry.name}", entry.read_bytes()) for entry in data),
    ]:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(content).digest())
    return f"{metadata.version('bilat')}+{digest.hexdigest()[:16]}"
