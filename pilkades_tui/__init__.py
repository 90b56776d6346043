"""pilkades-tui: a live terminal command center for securing Pilkades serentak."""

__version__ = "0.1.0"
