"""What a track means: elevation cleaning, grades and gradient runs, climbs, moving time, ride-time estimates,
POIs and areas along a route, the full analysis of a track and the upload quality report.

Layer 3: may import ``routes.core``, ``routes.text`` and ``routes.io``.
"""
