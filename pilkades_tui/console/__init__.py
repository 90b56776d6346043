"""The duty officer's Textual console."""
