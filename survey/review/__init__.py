"""The QA group's themed summaries, reviewers' corrections and emerging topics."""
