"""The Anev report and the shift handover (see docs/report.md).

- `DayFigures` (figures.py): the figures as one streaming pass over `Event`s.
- `build_report` / `to_html`, `to_markdown`, `to_csv_tables`: the document and its formats.
- `handover_summary` / `build_handover` (handover.py): what the next duty officer inherits;
  pure, for the console's `:handover` screen and `pilkades-tui report --handover`.
"""
