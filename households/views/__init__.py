"""Household views, one module per topic: lists (household list and page), survey (survey entry
with live classification), review (rounds and commune submission)."""
