"""Operations: backups, retention and purge, subject-access exports.

Kept apart from the web blueprints and, where they can be, free of Flask: each takes a
database URL or a SQLAlchemy session, so cron, a one-off script or a test can run it.
"""
