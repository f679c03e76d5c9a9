"""What every method's inputs share: moderation and notifications (ARCHITECTURE.md §4)."""
