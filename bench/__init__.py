"""`make bench`: the dashboard selectors timed against hand-written SQL (see docs/benchmarks.md)."""
