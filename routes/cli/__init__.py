"""The command line, ``python -m routes <command>``: ``main`` builds the parser from each module's ``register``;
heavy imports (database, PDF) stay inside the handlers so that ``info`` starts fast.

Layer 8, the top: may import anything in ``routes``.
"""
