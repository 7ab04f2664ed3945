"""Operation platform use cases: start cases, keep tasks, act on tasks."""
