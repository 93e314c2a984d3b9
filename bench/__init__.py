"""Benchmark harness: `make bench` (or `python -m bench`) prints latency, SQL and memory figures."""
