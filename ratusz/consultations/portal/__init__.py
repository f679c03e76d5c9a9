"""The residents' shell of a city portal: home, folders, the project page, profile. It sits above
the methods (the project page lists ideas and shows the current phase's panel) like the back
office does for staff (ARCHITECTURE.md §4)."""
