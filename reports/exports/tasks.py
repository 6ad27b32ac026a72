"""Export tasks (written with the exports)."""
