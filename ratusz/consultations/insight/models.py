"""City-plane data of this area."""
