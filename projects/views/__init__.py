"""Pages of the projects app, one module per topic: lists (project list, approval queue, model
register), project (project page, workflow steps, minutes download, amendment, evaluation,
replication), proposal (the proposal in steps), training (courses, attendance, employment)."""
