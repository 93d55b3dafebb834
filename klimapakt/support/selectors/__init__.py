"""Reads of support: offers.py (catalogue), firm.py (a firm's requests), workplace.py (inbox, overview)."""
