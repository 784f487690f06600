"""Compliments and complaints: the procedure rules (Flask-free) and, later, the blueprint."""
