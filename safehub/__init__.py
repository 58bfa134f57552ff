"""Safehub: case management for a Multi-Agency Safeguarding Hub."""
