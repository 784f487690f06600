"""Safeguarding alerts: a flag reaches a person by email or text message, day or night.

- ``channels``: sending one message, by SMTP or through GOV.UK Notify's official client;
- ``routing``: office hours (with bank holidays in England) and who is told what;
- ``services``: the outbox (``Alert`` rows written with the decision), delivery with
  retries, escalation to admins, and what admins see when a send fails;
- ``jobs`` and ``heard alerts``: the work run by a job after a flag, and every minute.
"""
