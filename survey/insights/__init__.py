"""Insights stored when a response is saved, and the safeguarding lead's queue."""
