"""The hub: protocol v1 over HTTP and WebSocket, with its SQLite event log."""
