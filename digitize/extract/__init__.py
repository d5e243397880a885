"""Extraction: one small, swappable algorithm per chart element (markers, lines, bands)."""
