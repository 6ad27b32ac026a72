"""Import tasks (written with the imports)."""
