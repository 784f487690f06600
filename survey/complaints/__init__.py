"""Compliments and complaints: the procedure rules (Flask-free), records, steps and pages.

Imports nothing here: ``survey.complaints.procedure`` must load without Flask.
"""
