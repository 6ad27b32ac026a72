"""Input shapes of the projects pages; no saving here (views hand cleaned data to services)."""
