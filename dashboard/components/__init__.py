"""Reusable layout pieces. Visible texts come from dashboard/texts, never from here."""
