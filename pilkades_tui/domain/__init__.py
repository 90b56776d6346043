"""Pure domain: records, events, the state reducer and recommendation. No IO here."""
