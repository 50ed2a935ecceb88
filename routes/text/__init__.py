"""What the guide says, in Chinese and English: one string table per area of the app and ``i18n`` (``t()``,
language resolution, number formatting), which imports every table by name.

Layer 1: may import ``routes.core``.
"""
