"""Reads of campaigns (评选), each with a fixed number of queries."""
