"""Where events are kept: store backends side by side, and the atomic writer they share.

:mod:`~bilat.store.json_store` is the JSON file store (:class:`EventStore`, where
the file is, consistency checks); :mod:`~bilat.store.atomic` replaces a file in one
step, for the store and for exports alike. Nothing is imported here, so reading a
store never loads more than its own backend.
"""
