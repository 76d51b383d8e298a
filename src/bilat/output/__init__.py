"""Writing events out: one module per kind of output.

:mod:`~bilat.output.render` writes query results to a stream (table, JSON,
NDJSON, CSV, Markdown), :mod:`~bilat.output.export` turns a timeline into a file
(an HTML page from the ``timeline.html`` template beside it, TimelineJS JSON,
iCalendar, Markdown, CSV) and :mod:`~bilat.output.chart` draws events and trade
figures per year as text or SVG. Nothing is imported here.
"""
