"""The simulated election day: a client of the hub's public API."""
