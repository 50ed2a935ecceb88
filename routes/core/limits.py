"""Limits on content size and on the work one visitor can cause, in one place so every page and check agrees."""

from __future__ import annotations

#: Largest file anyone may upload, in MB: .streamlit/config.toml's server.maxUploadSize must say the same (a test
#: checks), so Streamlit's upload endpoint refuses bigger bodies before any page code runs. A day's 1 Hz ride with
#: heart rate and power is about 15 MB of GPX; 20 MB of GeoJSON is tens of thousands of POIs.
UPLOAD_MAX_MB = 20
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
#: Most track points in an uploaded route: two days at 1 Hz. The public view is analysed from every stored point
#: (maps and profiles are then simplified to a few thousand), so this bounds a route's first view.
ROUTE_MAX_POINTS = 200_000
#: Most records in one POI import file: a whole county's places fit; more is a mistake or an attack, and matching
#: each record against the existing POIs is done inside one transaction.
IMPORT_MAX_RECORDS = 2_000
#: Most live (not deleted) POIs in the guide: every public page that lists them stays within a bounded time.
POIS_MAX_TOTAL = 5_000
#: POIs listed on one page of /pois (the rest are on the next pages).
POIS_PER_PAGE = 50
#: Most POI markers drawn on one map (each is HTML in the page): beyond this the visitor narrows by category.
MAP_MAX_POIS = 300
#: Most samples of any grid laid along a route (the resampled elevation profile, the ride-time segments): the longest
#: credible route a reader accepts (routes.io.plausible.MAX_ROUTE_LENGTH_M, 3 000 km) at 5 m. A longer line, which
#: only code can build (a race of many laps), gets a coarser step rather than a bigger array.
GRID_MAX_SAMPLES = 600_001
