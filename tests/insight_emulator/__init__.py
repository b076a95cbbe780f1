"""A stateful emulator of the FICO Xpress Insight 5 REST API, for tests, demos and benchmarks."""
