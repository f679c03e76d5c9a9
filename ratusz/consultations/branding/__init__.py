"""Branding and site: logo, colours, fonts, languages, custom pages, navigation, domains."""
