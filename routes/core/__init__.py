"""The vocabulary every other package shares: the Track model, geodesy, errors a user can cause, named limits,
account roles, safe text, the incident log and the site's public address.

Layer 0: imports nothing of ours outside ``routes.core``.
"""
