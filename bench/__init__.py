"""Benchmarks that print figures: `concord bench NAME` runs `bench/NAME.py`'s `main`."""
