"""Every write of support (docs/support.md): requests (requests.py), the conversation
(conversation.py), offers (offers.py), the office's settings and routing rules (settings.py),
the service-level reminders and retention (housekeeping.py)."""
