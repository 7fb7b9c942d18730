"""Pages for forms and their rows: entry and review (entry.py, review.py), Excel round trip
(imports.py, exports.py)."""
