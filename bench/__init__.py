"""Benchmarks that print figures: `concord bench NAME` runs `bench/NAME.py`'s `main`."""


class BenchUsageError(ValueError):
    """Options a benchmark cannot run with; `concord bench` prints it as one line, exit 2."""
