"""Files in and out: GPX, TCX and FIT read safely (XML guard, size caps), GPX and TCX written, coordinate systems
(WGS-84, GCJ-02 and BD-09), SRTM elevation tiles, device-safe names and the files a cyclist downloads.

Layer 2: may import ``routes.core`` and ``routes.text``.
"""
