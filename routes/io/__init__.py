"""Files in and out: GPX, TCX, FIT, KML and KMZ read safely (XML guard, size and zip caps, parser errors in both
languages), GPX and TCX written, coordinate systems (WGS-84, GCJ-02 and BD-09), SRTM elevation tiles, device-safe
names and the files a cyclist downloads.

Layer 2: may import ``routes.core`` and ``routes.text``.
"""
