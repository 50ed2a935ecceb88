"""What the pages show, computed without Streamlit: maps, elevation profiles (figure and SVG), share pictures,
tables, data notes, the cyclists' route data (``guide``), links into phone map apps to a route's start (``navlinks``)
and the editor's workspace (``editing``).

Layer 6: may import every package below it (``core``, ``text``, ``io``, ``analysis``, ``store``, ``race``).
"""
