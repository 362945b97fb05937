"""Benchmarks: generated schools, the XHSTT archive and FET files (``python -m solver.bench``)."""
