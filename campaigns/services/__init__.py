"""Writes of campaigns (评选): each service atomic and audited."""
