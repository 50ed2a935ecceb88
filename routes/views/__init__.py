"""What the pages show, computed without Streamlit: maps, elevation profiles (figure and SVG), share pictures,
tables, data notes, the cyclists' route data (``guide``) and the editor's workspace (``editing``).

Layer 6: may import every package below it (``core``, ``text``, ``io``, ``analysis``, ``store``, ``race``).
"""
