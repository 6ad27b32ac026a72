"""Households, members, review rounds and surveys (issue: households and the annual review)."""
