"""Invitations and reminders: invitee lists, messages in each invitee's language, sending."""
