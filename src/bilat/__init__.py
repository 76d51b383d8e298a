"""bilat: dated events between countries, extracted from documents into a queryable timeline."""

from bilat.errors import BilatError, InputError, StoreError, UnknownCountryError
from bilat.models import (
    SCHEMA_VERSION,
    Actor,
    Amount,
    DocumentInfo,
    Event,
    EventDate,
    Source,
    StoreData,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "Amount",
    "BilatError",
    "DocumentInfo",
    "Event",
    "EventDate",
    "InputError",
    "Source",
    "StoreData",
    "StoreError",
    "UnknownCountryError",
    "__version__",
]
