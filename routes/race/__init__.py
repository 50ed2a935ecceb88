"""Race planning for organisers: the course and its markers, timetables with cut-offs and closures, the stage
profile, course files for bike computers and the race book.

Layer 5: may import ``routes.core``, ``routes.text``, ``routes.io``, ``routes.analysis`` and ``routes.store``.
"""
