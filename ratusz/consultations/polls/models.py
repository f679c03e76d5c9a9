"""City-plane data of this method."""
