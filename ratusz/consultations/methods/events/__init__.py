"""Events: registration, waiting lists, reminders, iCal, attendance."""
