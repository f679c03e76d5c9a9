"""E-mail campaigns to residents, and the city's versions of automatic e-mails."""
