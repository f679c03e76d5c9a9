"""Core of the city plane: projects, folders, phases, topics, areas, rules, the method registry."""
