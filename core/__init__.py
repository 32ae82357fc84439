"""Shared pieces used by every feature: extensions, errors, i18n, time, money, tokens, PDFs."""
