"""The operator console: thin views that parse, authorise, call one service, render; one
module per topic (ARCHITECTURE.md §2)."""
